// Constructs load their Lambda handlers from prebuilt bundles (as they do from the published package), so
// build them once before any test synthesizes a stack.
const { bundleHandlers } = require('../../scripts/bundle-handlers.js');

module.exports = async () => {
  await bundleHandlers({ quiet: true });
};
