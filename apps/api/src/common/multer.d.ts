/** The part of multer (shipped with @nestjs/platform-express, untyped) that Trellis uses. */
declare module 'multer' {
  import type { RequestHandler } from 'express';

  interface Limits {
    fieldNameSize?: number;
    fieldSize?: number;
    fields?: number;
    fileSize?: number;
    files?: number;
    parts?: number;
    headerPairs?: number;
  }

  interface Multer {
    single(field: string): RequestHandler;
  }

  function multer(options?: { storage?: unknown; limits?: Limits }): Multer;

  namespace multer {
    function memoryStorage(): unknown;
    class MulterError extends Error {
      code: string;
      field?: string;
    }
    /** What memoryStorage() leaves on req.file. */
    interface File {
      fieldname: string;
      originalname: string;
      mimetype: string;
      size: number;
      buffer: Buffer;
    }
  }

  export = multer;
}
