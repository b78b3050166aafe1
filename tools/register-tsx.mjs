// `node --import <this file>`: registers tsx (resolved from the repository's node_modules, not
// from the current directory as `--import tsx` would be), so that ./scimkit can run the CLI's
// TypeScript sources from any directory.
import 'tsx';
