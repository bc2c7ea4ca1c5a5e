// aws-cdk-lib validates every template during synth (~5 s each); unit tests assert on templates themselves.
process.env.CDK_VALIDATION = 'false';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

// Property tests explore a fixed sample by default, so that CI is repeatable; FC_SEED=<n> (or FC_SEED=random)
// explores others locally, and a failure prints the seed that reproduces it.
const fc = require('fast-check');
const seed = process.env.FC_SEED;
if (seed !== 'random') fc.configureGlobal({ seed: seed === undefined ? 20261125 : Number(seed) });
