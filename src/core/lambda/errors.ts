import { LambdaErrors } from '../generated/errors.js';

/** Lambda's error codes and statuses (Lambda API reference, "Errors" of each operation). */
export const notFound = (arn: string) => LambdaErrors.ResourceNotFoundException(`Function not found: ${arn}`);
export const invalidParameter = (message: string) => LambdaErrors.InvalidParameterValueException(message);
export const validation = (message: string) => LambdaErrors.ValidationException(`1 validation error detected: ${message}`);
export const conflict = (message: string) => LambdaErrors.ResourceConflictException(message);
export const preconditionFailed = (message: string) => LambdaErrors.PreconditionFailedException(message);
export const tooManyRequests = (message: string) => LambdaErrors.TooManyRequestsException(message);
