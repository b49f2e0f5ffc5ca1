import { version } from '../../package.json';

export const TOOL_NAME = 'aurora-sg';
export const TOOL_VERSION: string = version;
