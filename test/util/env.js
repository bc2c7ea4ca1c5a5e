// aws-cdk-lib validates every template during synth (~5 s each); unit tests assert on templates themselves.
process.env.CDK_VALIDATION = 'false';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
