// The hosts-file block Portico owns: for dev names browsers do not resolve by themselves
// (*.test; *.localhost for Safari and some CLIs).
export { BEGIN_MARK, END_MARK, HostsFileError, blockLines, namesInBlock, normalizeNames, planHostsText } from './block.js';
export { applyHostsChange, elevatedCommands, planHostsChange, type HostsChange } from './apply.js';
export { backupFileFor, defaultHostsFile } from './paths.js';
