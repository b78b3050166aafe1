// The few express 5 types the bench uses. @types/express is not a dependency of bench/ (adding
// it would change the lockfile); scimmy-routers' own types refer to these names.
declare module 'express' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  namespace express {
    interface Request extends IncomingMessage {
      header(name: string): string | undefined;
      params: Record<string, string>;
    }
    type Handler = (
      request: IncomingMessage,
      response: ServerResponse,
      next?: (error?: unknown) => void,
    ) => void;
    interface Router extends Handler {}
    interface Express extends Handler {
      use(path: string, handler: Handler | Router): Express;
    }
  }
  function express(): express.Express;
  export type Router = express.Router;
  export type Request = express.Request;
  export default express;
}
