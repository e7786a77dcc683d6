// Loading, validating and saving Portico's config file. The schema itself lives in
// ../contract (shared with the renderer); this is the Node side around it.
export { ConfigError, issueLines, readableIssue, valueAt } from './errors.js';
export { parseConfig, parseConfigText } from './parse.js';
export { loadConfig, saveConfig } from './files.js';
export { loadConfigOrSetAside, setAsideMessage, setAsidePath, type SetAside } from './set-aside.js';
export { defaultDataDir, configPathIn } from './paths.js';
export { configJsonSchema, configJsonSchemaText } from './json-schema.js';
export { watchConfigFile } from './watch.js';
