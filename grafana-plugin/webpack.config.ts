import type { Configuration } from 'webpack';
import { baseConfig, type BuildEnv } from './.config/webpack/webpack.config';

// Plugin-specific changes to the generated build go here.
export default (env: BuildEnv): Configuration => baseConfig(env);
