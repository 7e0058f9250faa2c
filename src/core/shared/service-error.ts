/**
 * The one error type the domain throws. `wire/` turns it into each protocol's error shape
 * (JSON `__type`, awsQuery `<Error><Code>`, EC2 `<Errors><Error><Code>`), so a service function
 * never knows which client called it.
 */
export class ServiceError extends Error {
  /** AWS error code as the protocol writes it, e.g. `ResourceNotFoundException`, `InvalidAMIID.NotFound`. */
  readonly code: string;
  /** HTTP status AWS answers with for this error. */
  readonly status: number;
  /** `Sender` (the caller's fault) or `Receiver` (ours); awsQuery writes it as `<Type>`. */
  readonly fault: 'Sender' | 'Receiver';
  /** Further members of the error body some errors have (Lambda's TooManyRequestsException `Reason`). */
  extra?: Readonly<Record<string, string>>;

  constructor(code: string, message: string, status = 400, fault: 'Sender' | 'Receiver' = status >= 500 ? 'Receiver' : 'Sender') {
    super(message);
    this.name = code;
    this.code = code;
    this.status = status;
    this.fault = fault;
  }
}

export const isServiceError = (e: unknown): e is ServiceError => e instanceof ServiceError;
