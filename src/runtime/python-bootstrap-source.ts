/**
 * The program a Python function process runs (written to the code cache as `bootstrap.py`). It
 * plays Lambda's Python runtime and speaks the same protocol as the Node.js bootstrap
 * (bootstrap-source.ts): newline-delimited JSON on the IPC channel Node opened as fd
 * NODE_CHANNEL_FD (Node's `json` serialization is exactly that, for any child language).
 * - handler `module.function`, module path with `/` or `.` (packages in subfolders), imported
 *   once per process (warm reuse) with the code directory first on sys.path;
 * - `print` and everything on stdout/stderr go to the log as written; `logging` records in
 *   Lambda's Python format `[LEVEL]\tTIME\tREQUEST_ID\tMESSAGE`;
 * - errors as the Python runtime reports them: {errorMessage, errorType, requestId, stackTrace},
 *   and `[ERROR] Type: message` + traceback in the log; Runtime.ImportModuleError,
 *   Runtime.UserCodeSyntaxError, Runtime.HandlerNotFound, Runtime.MalformedHandlerName;
 * - a memory guard: a thread watching the resident size, killing the process past the
 *   function's MemorySize as Lambda does (reported as Runtime.OutOfMemory).
 */
export const PYTHON_BOOTSTRAP_SOURCE = String.raw`
import importlib, json, logging, os, signal, sys, threading, time, traceback

_fd = int(os.environ.pop('NODE_CHANNEL_FD', '3'))
os.environ.pop('NODE_CHANNEL_SERIALIZATION_MODE', None)
_lock = threading.Lock()
_request_id = ''

def _send(message):
    data = (json.dumps(message) + '\n').encode('utf-8')
    with _lock:
        while data:
            data = data[os.write(_fd, data):]

class _LogBytes:
    # sys.stdout.buffer: bytes written by code that bypasses the text layer.
    def write(self, data):
        _send({'t': 'log', 's': bytes(data).decode('utf-8', 'replace')})
        return len(data)
    def flush(self):
        pass

class _LogStream:
    encoding = 'utf-8'
    errors = 'strict'
    buffer = _LogBytes()
    def write(self, text):
        if text:
            _send({'t': 'log', 's': text if isinstance(text, str) else text.decode('utf-8', 'replace')})
        return len(text)
    def writelines(self, lines):
        for line in lines:
            self.write(line)
    def flush(self):
        pass
    def isatty(self):
        return False
    def fileno(self):
        raise OSError('the Lambda log stream has no file descriptor')

sys.stdout = sys.stderr = _LogStream()

class _LambdaFormatter(logging.Formatter):
    # Lambda's text format: [LEVEL]\t2024-01-01T00:00:00.000Z\trequest-id\tmessage
    converter = time.gmtime
    def format(self, record):
        record.aws_request_id = _request_id
        return super().format(record)

_handler = logging.StreamHandler(sys.stdout)
_handler.setFormatter(_LambdaFormatter('[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n', '%Y-%m-%dT%H:%M:%S'))
_handler.terminator = ''
logging.getLogger().addHandler(_handler)

def _memory_guard(limit_mb):
    page = os.sysconf('SC_PAGE_SIZE')
    while True:
        time.sleep(0.02)
        try:
            with open('/proc/self/statm') as f:
                rss = int(f.read().split()[1]) * page
        except OSError:
            return
        if rss > limit_mb * 1048576:
            os.write(2, b'MemoryError: Reached memory limit of the function (MemorySize)\n')
            os.kill(os.getpid(), signal.SIGKILL)

class _InitError(Exception):
    def __init__(self, error_type, message):
        super().__init__(message)
        self.error_type = error_type

def _load():
    spec = os.environ.get('_HANDLER', '')
    try:
        module_name, function_name = spec.rsplit('.', 1)
    except ValueError as e:
        raise _InitError('Runtime.MalformedHandlerName', "Bad handler '%s': %s" % (spec, e))
    module_name = module_name.replace('/', '.')
    try:
        module = importlib.import_module(module_name)
    except ImportError as e:
        raise _InitError('Runtime.ImportModuleError', "Unable to import module '%s': %s" % (module_name, e))
    except SyntaxError as e:
        raise _InitError('Runtime.UserCodeSyntaxError', "Syntax error in module '%s': %s" % (module_name, e))
    fn = getattr(module, function_name, None)
    if fn is None:
        raise _InitError('Runtime.HandlerNotFound', "Handler '%s' missing on module '%s'" % (function_name, module_name))
    return fn

class LambdaContext:
    def __init__(self, message):
        env = os.environ
        self.function_name = env.get('AWS_LAMBDA_FUNCTION_NAME')
        self.function_version = env.get('AWS_LAMBDA_FUNCTION_VERSION')
        self.invoked_function_arn = message['arn']
        self.memory_limit_in_mb = env.get('AWS_LAMBDA_FUNCTION_MEMORY_SIZE')
        self.aws_request_id = message['id']
        self.log_group_name = env.get('AWS_LAMBDA_LOG_GROUP_NAME')
        self.log_stream_name = env.get('AWS_LAMBDA_LOG_STREAM_NAME')
        self.identity = None
        self.client_context = None
        if message.get('clientContext'):
            import base64
            self.client_context = json.loads(base64.b64decode(message['clientContext']))
        self._deadline = message['deadline']
    def get_remaining_time_in_millis(self):
        return max(0, int(self._deadline - time.time() * 1000))

def _user_frames(tb):
    # The runtime's own frames are not the user's: Lambda's stackTrace starts in the handler.
    frames = traceback.extract_tb(tb)
    while frames and frames[0].filename == __file__:
        frames = frames[1:]
    return traceback.format_list(frames)

def _error(error_type, message, stack):
    body = {'errorMessage': message, 'errorType': error_type, 'requestId': _request_id, 'stackTrace': stack}
    trace = 'Traceback (most recent call last):\n' + ''.join(stack) if stack else ''
    sys.stdout.write('[ERROR] %s: %s\n%s' % (error_type, message, trace))
    return body

def _invoke(message, fn):
    try:
        result = fn(json.loads(message['payload']), LambdaContext(message))
    except Exception as e:
        return False, _error(type(e).__name__, str(e), _user_frames(e.__traceback__))
    try:
        return True, json.dumps(result)
    except (TypeError, ValueError) as e:
        return False, _error('Runtime.MarshalError', 'Unable to marshal response: %s' % e, [])

def _main():
    global _request_id
    sys.path.insert(0, os.environ.get('LAMBDA_TASK_ROOT', os.getcwd()))
    threading.Thread(target=_memory_guard, args=(int(os.environ.get('AWS_LAMBDA_FUNCTION_MEMORY_SIZE', '128')),), daemon=True).start()
    handler = None
    channel = os.fdopen(_fd, 'rb', buffering=0, closefd=False)
    _send({'t': 'ready'})
    buffered = b''
    while True:
        chunk = channel.read(65536)
        if not chunk:
            return
        buffered += chunk
        while b'\n' in buffered:
            line, buffered = buffered.split(b'\n', 1)
            message = json.loads(line)
            if message.get('t') != 'invoke':
                continue
            _request_id = message['id']
            try:
                if handler is None:
                    handler = _load()
                ok, value = _invoke(message, handler)
            except _InitError as e:
                ok, value = False, _error(e.error_type, str(e), [])
            rss = 0
            try:
                import resource
                rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
            except Exception:
                pass
            if ok:
                _send({'t': 'done', 'id': message['id'], 'ok': True, 'result': value, 'rss': rss})
            else:
                _send({'t': 'done', 'id': message['id'], 'ok': False, 'error': value, 'rss': rss})
            _request_id = ''

_main()
`;
