import { ServiceError } from '../shared/service-error.js';

/** Lambda's error codes and statuses (Lambda API reference, "Errors" of each operation). */
export const notFound = (arn: string) => new ServiceError('ResourceNotFoundException', `Function not found: ${arn}`, 404);
export const invalidParameter = (message: string) => new ServiceError('InvalidParameterValueException', message, 400);
export const validation = (message: string) => new ServiceError('ValidationException', `1 validation error detected: ${message}`, 400);
export const conflict = (message: string) => new ServiceError('ResourceConflictException', message, 409);
export const preconditionFailed = (message: string) => new ServiceError('PreconditionFailedException', message, 412);
export const tooManyRequests = (message: string) => new ServiceError('TooManyRequestsException', message, 429);
