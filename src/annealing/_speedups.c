/* annealing._speedups: the scalar call schedule(t), compiled.
 *
 * CPython 3.11 calls an object's Python __call__ through a slot it does not specialize, at
 * about twice the cost of calling a function; a schedule is an object. This module gives
 * Schedule a base type whose call is C: for a Python float or int step in range it computes
 * the family's formula here, with the same operations in the same order as the family's
 * Python _call (so the same float, bit for bit: tests/test_speedups.py compares them), and
 * for every other step, and every schedule not compiled, it calls the Python _call.
 *
 * A schedule is compiled by _speed(op, numbers, kids, tables), which its __post_init__ calls
 * (through annealing.schedule._compile) only where the Python path is one of those written
 * out below; op 0, the default, is the Python path. Nothing here validates: the numbers are
 * the family's own, already checked, and a float or int step is checked here as in Python.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <float.h>
#include <math.h>
#include <stddef.h>

enum {
    OP_PYTHON = 0,
    OP_CONSTANT,
    OP_COSINE_FALL,
    OP_COSINE_RISE,
    OP_LINEAR,
    OP_POLYNOMIAL_FALL,
    OP_EXPONENTIAL,
    OP_STEP,
    OP_MULTISTEP,
    OP_INVERSE_SQRT,
    OP_INVERSE_TIME,
    OP_TANH,
    OP_CYCLIC,
    OP_PIECEWISE,
    OP_POLYNOMIAL_CYCLES_FALL,
    OP_WSD,
    OP_WARMUP,
    OP_SEQUENCE,
    OP_RESTARTS,
    OP_SCALE,
    OP_WARP,
    OP_OFFSET,
    OP_COUNT
};

/* the ops' names, in the enum's order: annealing.schedule._compile takes a name */
static const char *const NAMES[OP_COUNT] = {
    "python", "constant", "cosine-fall", "cosine-rise", "linear", "polynomial-fall",
    "exponential", "step", "multistep", "inverse-sqrt", "inverse-time", "tanh", "cyclic",
    "piecewise", "polynomial-cycles-fall", "wsd", "warmup", "sequence", "restarts", "scale",
    "warp", "offset",
};

/* The C library's pow, called as Python calls it: a compiler may turn pow(x, 2.0) into x * x,
   which is not always the same float (glibc's pow is within an ulp, not correctly rounded) */
static double (*volatile c_pow)(double, double) = pow;

#define NUMBERS 12
#define TABLES 3
#define EXACT_INT 9007199254740992LL /* 2**53 */
#define HALF_PI 1.5707963267948966

typedef struct {
    PyObject_HEAD
    vectorcallfunc vectorcall;
    int op;
    double p[NUMBERS];
    Py_ssize_t n[TABLES];
    double *table[TABLES];
    PyObject *kids; /* a tuple of schedules, or NULL */
    PyObject *value; /* OP_CONSTANT: the value, returned as it is */
} Fast;

static PyTypeObject FastType;
static PyObject *name_call;
static PyObject *name_scalar;

/* -1.0 with an exception set is an error: a schedule's value is never negative */
static double evaluate(Fast *f, double t);

static double kid(Fast *f, Py_ssize_t i, double t) {
    PyObject *k = PyTuple_GET_ITEM(f->kids, i);
    if (PyObject_TypeCheck(k, &FastType) && ((Fast *)k)->op != OP_PYTHON) {
        /* schedules nested beyond the recursion limit raise RecursionError, as in Python */
        if (Py_EnterRecursiveCall(" while computing a schedule")) {
            return -1.0;
        }
        double x = evaluate((Fast *)k, t);
        Py_LeaveRecursiveCall();
        return x;
    }
    PyObject *step = PyFloat_FromDouble(t);
    if (step == NULL) {
        return -1.0;
    }
    PyObject *stack[3] = {NULL, k, step}; /* stack[0]: the slot the offset flag lends */
    PyObject *r = PyObject_VectorcallMethod(
        name_scalar, stack + 1, 2 | PY_VECTORCALL_ARGUMENTS_OFFSET, NULL);
    Py_DECREF(step);
    if (r == NULL) {
        return -1.0;
    }
    double x = PyFloat_AsDouble(r);
    Py_DECREF(r);
    return x;
}

/* bisect.bisect_right(a[0:n], t) */
static Py_ssize_t bisect_right(const double *a, Py_ssize_t n, double t) {
    Py_ssize_t lo = 0, hi = n;
    while (lo < hi) {
        Py_ssize_t mid = (lo + hi) / 2;
        if (t < a[mid]) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    return lo;
}

/* the whole periods of `every` in t: annealing._periods.periods(t, every, SCALAR) */
static double periods(double t, double every) {
    double q = t / every;
    double k = q < INFINITY ? floor(q) : q;
    if ((k + 1) * every <= t) {
        k = k + 1;
    }
    if (k * every > t) {
        k = k - 1;
    }
    return k;
}

/* annealing._shapes.power_of(x, p, SCALAR) */
static double power_of(double x, double p) {
    if (p == 1.0) {
        return x;
    }
    if (p == 2.0) {
        return x * x;
    }
    if (p == 0.5) {
        return sqrt(x);
    }
    return c_pow(x, p);
}

/* annealing._shapes.transition(start, end, t, steps, shape, SCALAR) for "linear" (shape 0)
   and "cosine" with power 1 (shape 1), the only shapes compiled */
static double transition(double start, double end, double t, double steps, int shape) {
    if (t >= steps) {
        return end;
    }
    if (shape == 1) {
        if (start >= end) {
            return end + (start - end) * c_pow(sin((steps - t) * (HALF_PI / steps)), 2.0);
        }
        return start + (end - start) * c_pow(sin(t * (HALF_PI / steps)), 2.0);
    }
    if (start >= end) {
        return end + (start - end) * ((steps - t) / steps);
    }
    return start + (end - start) * (t / steps);
}

static double evaluate(Fast *f, double t) {
    const double *p = f->p;
    switch (f->op) {
    case OP_CONSTANT:
        return PyFloat_AS_DOUBLE(f->value);
    case OP_COSINE_FALL: /* steps, end, gap, w */
        if (t >= p[0]) {
            return p[1];
        }
        return p[1] + p[2] * c_pow(sin((p[0] - t) * p[3]), 2.0);
    case OP_COSINE_RISE: /* steps, end, start, gap, w */
        if (t >= p[0]) {
            return p[1];
        }
        return p[2] + p[3] * c_pow(sin(t * p[4]), 2.0);
    case OP_LINEAR: /* length, end, start, gap, falls */
        if (t >= p[0]) {
            return p[1];
        }
        if (p[4] != 0.0) {
            return p[1] + p[3] * ((p[0] - t) / p[0]);
        }
        return p[2] + p[3] * (t / p[0]);
    case OP_POLYNOMIAL_FALL: /* length, end, gap, power */
        if (t >= p[0]) {
            return p[1];
        }
        return p[1] + p[2] * power_of((p[0] - t) / p[0], p[3]);
    case OP_EXPONENTIAL: { /* start, rate, every, end (0 where there is none: value >= 0) */
        double value = p[0] * c_pow(p[1], t / p[2]);
        return value >= p[3] ? value : p[3];
    }
    case OP_STEP: /* start, every, factor */
        return p[0] * c_pow(p[2], periods(t, p[1]));
    case OP_MULTISTEP: /* table 0: the marks, table 1: the levels */
        return f->table[1][bisect_right(f->table[0], f->n[0], t)];
    case OP_INVERSE_SQRT: /* start, root, half */
        return p[0] * (p[1] / sqrt(p[2] + 0.5 * t));
    case OP_INVERSE_TIME: /* start, rate, every */
        return p[0] / (1.0 + p[1] * (t / p[2]));
    case OP_TANH: { /* steps, lower, upper, sign, low, gap */
        double x = (p[0] < t ? p[0] : t) / p[0];
        double a = p[1] * (1.0 - x) + p[2] * x;
        double z = p[3] * a;
        double y = -z;
        double e = exp(y < z ? y : z);
        double weight = z >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
        return p[4] + p[5] * weight;
    }
    case OP_CYCLIC: { /* up, period, down, low, gap, kind, gamma */
        double up = p[0], period = p[1];
        double r = fmod(t, period);
        double y = r <= up ? r / up : (period - r) / p[2];
        double x = y > 1.0 ? 1.0 : y;
        double scale;
        if (p[5] == 0.0) {
            return p[3] + p[4] * x;
        }
        if (p[5] == 1.0) {
            double q = (t - r) / period + 0.5;
            scale = c_pow(0.5, q < INFINITY ? floor(q) : q);
        } else {
            scale = c_pow(p[6], t);
        }
        return p[3] + p[4] * x * scale;
    }
    case OP_PIECEWISE: { /* mode; table 0: steps, 1: values, 2: steps negated, reversed */
        const double *xs = f->table[0], *ys = f->table[1];
        Py_ssize_t count = f->n[0];
        int mode = (int)p[0];
        if (mode == 0) {
            Py_ssize_t i = bisect_right(xs, count, t) - 1;
            return ys[i < 0 ? 0 : i];
        }
        if (mode == 1) {
            Py_ssize_t i = count - bisect_right(f->table[2], count, -t) - 1;
            return ys[i < 0 ? 0 : i];
        }
        Py_ssize_t j = bisect_right(xs, count, t);
        if (j == 0) {
            return ys[0];
        }
        if (j == count) {
            return ys[count - 1];
        }
        double x0 = xs[j - 1]; /* leg j, from point j - 1 to point j */
        return transition(ys[j - 1], ys[j], t - x0, xs[j] - x0, mode == 3);
    }
    case OP_POLYNOMIAL_CYCLES_FALL: { /* every, start, end, power */
        double every = p[0];
        double whole = periods(t, every);
        double cycles = whole * every < t ? whole + 1 : whole;
        if (cycles < 1.0) {
            cycles = 1.0;
        }
        double half = (0.5 * every) * (cycles > DBL_MAX ? DBL_MAX : cycles);
        double rest = half - 0.5 * t;
        if (rest < 0.0) {
            rest = 0.0;
        }
        double fraction = cycles <= DBL_MAX ? rest / half : 0.0;
        return p[2] + (p[1] - p[2]) * power_of(fraction, p[3]);
    }
    case OP_WSD: { /* start, peak, end, warmup, warmup shape, decay shape, decay;
                      table 0: the starts, 1: the phases */
        Py_ssize_t i = bisect_right(f->table[0], f->n[0], t) - 1;
        double u = t - f->table[0][i];
        double phase = f->table[1][i];
        if (phase == 2.0) {
            return transition(p[1], p[2], u, p[6], (int)p[5]);
        }
        if (phase == 1.0) {
            return p[1];
        }
        return transition(p[0], p[1], u, p[3], (int)p[4]);
    }
    case OP_WARMUP: /* length, line, falls, target, gap, start, shape; kid 0 */
        if (t >= p[0]) {
            return kid(f, 0, t - p[0]);
        }
        if (p[1] != 0.0) {
            if (p[2] != 0.0) {
                return p[3] + p[4] * ((p[0] - t) / p[0]);
            }
            return p[5] + p[4] * (t / p[0]);
        }
        return transition(p[5], p[3], t, p[0], (int)p[6]);
    case OP_SEQUENCE: { /* split (or -1); table 0: the starts; kids */
        if (p[0] >= 0.0) {
            if (t >= p[0]) {
                return kid(f, 1, t - p[0]);
            }
            return kid(f, 0, t - 0.0);
        }
        Py_ssize_t i = bisect_right(f->table[0], f->n[0], t) - 1;
        return kid(f, i, t - f->table[0][i]);
    }
    case OP_RESTARTS: { /* single, plain, final value, last cycle (-1: no limit), span;
                           table 0: the cycles' starts, 1: their stretches; kid 0 */
        const double *table = f->table[0];
        Py_ssize_t n = f->n[0];
        if (p[0] != 0.0) { /* one cycle, then its final value */
            if (t >= table[n - 1]) {
                return p[2];
            }
            return kid(f, 0, t - 0.0);
        }
        if (p[1] != 0.0) { /* equal periods, no limit */
            double period = p[4];
            double k = periods(t, period);
            double u;
            if (k < 9007199254740992.0 / 2) {
                double m = k * period;
                u = t - (m > DBL_MAX ? DBL_MAX : m);
            } else {
                u = fmod(t, period);
            }
            return kid(f, 0, u < 0.0 ? 0.0 : u);
        }
        /* the cycles of the table (a mult or a limit), without a warmup or decays */
        if (p[3] >= 0.0 && t >= table[n - 1]) {
            return p[2];
        }
        Py_ssize_t k = bisect_right(table, n, t) - 1;
        if (p[3] >= 0.0 && p[3] < (double)k) {
            k = (Py_ssize_t)p[3];
        }
        double u = t - table[k];
        return kid(f, 0, (u < 0.0 ? 0.0 : u) / f->table[1][k]);
    }
    case OP_SCALE: { /* factor (where it is a number); kid 0, and kid 1 where it varies */
        double a = kid(f, 0, t);
        if (a == -1.0 && PyErr_Occurred()) {
            return -1.0;
        }
        if (PyTuple_GET_SIZE(f->kids) == 1) {
            return a * p[0];
        }
        double b = kid(f, 1, t);
        if (b == -1.0 && PyErr_Occurred()) {
            return -1.0;
        }
        return a * b;
    }
    case OP_WARP: { /* same, length, power; kid 0 */
        if (p[0] != 0.0) {
            return kid(f, 0, t);
        }
        double steps = p[1];
        double x = (steps < t ? steps : t) / steps;
        return kid(f, 0, steps * power_of(x, p[2]));
    }
    case OP_OFFSET: /* room, offset; kid 0 */
        return kid(f, 0, (p[0] < t ? p[0] : t) + p[1]);
    }
    PyErr_SetString(PyExc_SystemError, "annealing._speedups: unknown op");
    return -1.0;
}

/* the step as a double where it is a Python float in [0, inf) or int in [0, 2**53] */
static int plain_step(PyObject *a, double *t) {
    if (PyFloat_CheckExact(a)) {
        double x = PyFloat_AS_DOUBLE(a);
        if (x >= 0.0 && x < INFINITY) {
            *t = x;
            return 1;
        }
        return 0;
    }
    if (PyLong_CheckExact(a)) {
        int overflow;
        long long v = PyLong_AsLongLongAndOverflow(a, &overflow);
        if (!overflow && v >= 0 && v <= EXACT_INT) {
            *t = (double)v;
            return 1;
        }
        if (v == -1 && PyErr_Occurred()) {
            PyErr_Clear();
        }
    }
    return 0;
}

static PyObject *result(Fast *f, double t) {
    if (f->op == OP_CONSTANT) {
        Py_INCREF(f->value);
        return f->value;
    }
    double x = evaluate(f, t);
    if (x == -1.0 && PyErr_Occurred()) {
        return NULL;
    }
    return PyFloat_FromDouble(x);
}

static PyObject *fast_vectorcall(PyObject *self, PyObject *const *args, size_t nargsf,
                                 PyObject *kwnames) {
    Fast *f = (Fast *)self;
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    double t;
    if (f->op != OP_PYTHON && nargs == 1 && kwnames == NULL && plain_step(args[0], &t)) {
        return result(f, t);
    }
    Py_ssize_t total = nargs + (kwnames == NULL ? 0 : PyTuple_GET_SIZE(kwnames));
    if (total < 8) { /* self._call(*args, **kwargs), without making a bound method */
        PyObject *stack[8];
        stack[0] = self;
        for (Py_ssize_t i = 0; i < total; i++) {
            stack[i + 1] = args[i];
        }
        return PyObject_VectorcallMethod(name_call, stack, (size_t)(nargs + 1), kwnames);
    }
    PyObject *method = PyObject_GetAttr(self, name_call);
    if (method == NULL) {
        return NULL;
    }
    PyObject *r = PyObject_Vectorcall(method, args, nargsf, kwnames);
    Py_DECREF(method);
    return r;
}

static PyObject *fast_call(PyObject *self, PyObject *args, PyObject *kwargs) {
    Fast *f = (Fast *)self;
    double t;
    if (f->op != OP_PYTHON && kwargs == NULL && PyTuple_GET_SIZE(args) == 1 &&
        plain_step(PyTuple_GET_ITEM(args, 0), &t)) {
        return result(f, t);
    }
    PyObject *method = PyObject_GetAttr(self, name_call);
    if (method == NULL) {
        return NULL;
    }
    PyObject *r = PyObject_Call(method, args, kwargs);
    Py_DECREF(method);
    return r;
}

static void clear_compiled(Fast *f) {
    for (int i = 0; i < TABLES; i++) {
        PyMem_Free(f->table[i]);
        f->table[i] = NULL;
        f->n[i] = 0;
    }
    f->op = OP_PYTHON;
}

static int fast_traverse(PyObject *self, visitproc visit, void *arg) {
    Fast *f = (Fast *)self;
    Py_VISIT(f->kids);
    Py_VISIT(f->value);
    return 0;
}

static int fast_clear(PyObject *self) {
    Fast *f = (Fast *)self;
    f->op = OP_PYTHON;
    Py_CLEAR(f->kids);
    Py_CLEAR(f->value);
    return 0;
}

static void fast_dealloc(PyObject *self) {
    Fast *f = (Fast *)self;
    PyObject_GC_UnTrack(self);
    fast_clear(self);
    clear_compiled(f);
    Py_TYPE(self)->tp_free(self);
}

static PyObject *fast_new(PyTypeObject *type, PyObject *args, PyObject *kwargs) {
    Fast *f = (Fast *)type->tp_alloc(type, 0);
    if (f != NULL) {
        f->vectorcall = fast_vectorcall;
    }
    return (PyObject *)f;
}

/* the length of table i, or -1 where it is missing or not a tuple */
static Py_ssize_t length(PyObject *tables, Py_ssize_t i) {
    if (i >= PyTuple_GET_SIZE(tables) || !PyTuple_Check(PyTuple_GET_ITEM(tables, i))) {
        return -1;
    }
    return PyTuple_GET_SIZE(PyTuple_GET_ITEM(tables, i));
}

/* whether the first entry of table i is <= 0 (a search from it never lands before it) */
static int starts_at_zero(PyObject *tables, Py_ssize_t i) {
    PyObject *row = PyTuple_GET_ITEM(tables, i);
    double x = PyFloat_AsDouble(PyTuple_GET_ITEM(row, 0));
    if (x == -1.0 && PyErr_Occurred()) {
        PyErr_Clear();
        return 0;
    }
    return x <= 0.0;
}

/* what evaluate() reads for each op is there: every number, kid and table entry (the Python
   side, annealing.schedule._compile, passes them; this keeps a wrong call from reading past
   an array) */
static int shape_ok(int op, PyObject *numbers, PyObject *kids, PyObject *tables) {
    static const signed char need[OP_COUNT] = {
        0, 1, 4, 5, 5, 4, 4, 3, 0, 3, 3, 6, 7, 1, 4, 7, 7, 1, 5, 0, 3, 2,
    };
    static const signed char kid_count[OP_COUNT] = {
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, -1, 1, 1, 1, 1,
    };
    Py_ssize_t k = PyTuple_GET_SIZE(kids);
    if (PyTuple_GET_SIZE(numbers) < need[op]) {
        return 0;
    }
    if (kid_count[op] >= 0 && op != OP_SCALE && k != kid_count[op]) {
        return 0;
    }
    switch (op) {
    case OP_MULTISTEP:
        return length(tables, 0) >= 0 && length(tables, 1) == length(tables, 0) + 1;
    case OP_PIECEWISE:
        return length(tables, 0) >= 1 && length(tables, 1) == length(tables, 0) &&
               length(tables, 2) == length(tables, 0);
    case OP_WSD:
        return length(tables, 0) >= 1 && length(tables, 1) == length(tables, 0) &&
               starts_at_zero(tables, 0);
    case OP_SEQUENCE:
        if (!(k >= 1 && length(tables, 0) == k && starts_at_zero(tables, 0))) {
            return 0;
        } else {
            double split = PyFloat_AsDouble(PyTuple_GET_ITEM(numbers, 0));
            if (split == -1.0 && PyErr_Occurred()) {
                PyErr_Clear();
                return 0;
            }
            return split < 0.0 || k == 2; /* a split: two schedules, either side of it */
        }
    case OP_RESTARTS: /* a table, except for equal periods without a limit */
        if (length(tables, 1) != length(tables, 0)) {
            return 0;
        }
        if (length(tables, 0) >= 1) {
            return starts_at_zero(tables, 0);
        }
        return PyObject_IsTrue(PyTuple_GET_ITEM(numbers, 1)) == 1 &&
               PyObject_IsTrue(PyTuple_GET_ITEM(numbers, 0)) == 0;
    case OP_SCALE: /* a number for the factor, or a second kid */
        return (k == 1 && PyTuple_GET_SIZE(numbers) >= 1) || k == 2;
    default:
        return 1;
    }
}

/* _speed(op, numbers, kids, tables): compile this schedule (see the top of the file) */
static PyObject *fast_speed(PyObject *self, PyObject *args) {
    Fast *f = (Fast *)self;
    int op;
    PyObject *numbers, *kids, *tables;
    if (!PyArg_ParseTuple(args, "iO!O!O!", &op, &PyTuple_Type, &numbers, &PyTuple_Type, &kids,
                          &PyTuple_Type, &tables)) {
        return NULL;
    }
    if (op <= OP_PYTHON || op >= OP_COUNT || PyTuple_GET_SIZE(numbers) > NUMBERS ||
        PyTuple_GET_SIZE(tables) > TABLES) {
        PyErr_SetString(PyExc_ValueError, "_speed: no such op, or too many numbers or tables");
        return NULL;
    }
    if (f->op != OP_PYTHON) {
        PyErr_SetString(PyExc_ValueError, "_speed: this schedule is compiled already");
        return NULL;
    }
    if (!shape_ok(op, numbers, kids, tables)) {
        PyErr_Format(PyExc_ValueError, "_speed: the numbers, kids or tables do not fit op %s",
                     NAMES[op]);
        return NULL;
    }
    fast_clear(self);
    clear_compiled(f);
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(numbers); i++) {
        f->p[i] = PyFloat_AsDouble(PyTuple_GET_ITEM(numbers, i));
        if (f->p[i] == -1.0 && PyErr_Occurred()) {
            return NULL;
        }
    }
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(tables); i++) {
        PyObject *row = PyTuple_GET_ITEM(tables, i);
        if (!PyTuple_Check(row)) {
            PyErr_SetString(PyExc_TypeError, "_speed: a table must be a tuple");
            clear_compiled(f);
            return NULL;
        }
        Py_ssize_t n = PyTuple_GET_SIZE(row);
        f->table[i] = PyMem_Malloc(sizeof(double) * (size_t)(n > 0 ? n : 1));
        if (f->table[i] == NULL) {
            clear_compiled(f);
            return PyErr_NoMemory();
        }
        f->n[i] = n;
        for (Py_ssize_t j = 0; j < n; j++) {
            f->table[i][j] = PyFloat_AsDouble(PyTuple_GET_ITEM(row, j));
            if (f->table[i][j] == -1.0 && PyErr_Occurred()) {
                clear_compiled(f);
                return NULL;
            }
        }
    }
    if (op == OP_CONSTANT) {
        PyObject *value = PyTuple_GET_SIZE(numbers) > 0 ? PyTuple_GET_ITEM(numbers, 0) : NULL;
        if (value == NULL || !PyFloat_CheckExact(value)) {
            PyErr_SetString(PyExc_TypeError, "_speed: a constant's value must be a float");
            clear_compiled(f);
            return NULL;
        }
        Py_INCREF(value);
        f->value = value;
    }
    Py_INCREF(kids);
    f->kids = kids;
    f->op = op;
    Py_RETURN_NONE;
}

static PyObject *fast_compiled(PyObject *self, PyObject *unused) {
    return PyLong_FromLong(((Fast *)self)->op);
}

static PyMethodDef fast_methods[] = {
    {"_speed", fast_speed, METH_VARARGS, "Compile this schedule's scalar call (internal)."},
    {"_compiled", fast_compiled, METH_NOARGS, "The op this schedule's scalar call runs, or 0."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject FastType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "annealing._speedups.Fast",
    .tp_basicsize = sizeof(Fast),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC |
                Py_TPFLAGS_HAVE_VECTORCALL,
    .tp_doc = "A schedule's compiled scalar call (the base of annealing.Schedule).",
    .tp_vectorcall_offset = offsetof(Fast, vectorcall),
    .tp_call = fast_call,
    .tp_new = fast_new,
    .tp_dealloc = fast_dealloc,
    .tp_traverse = fast_traverse,
    .tp_clear = fast_clear,
    .tp_methods = fast_methods,
};

/* enable(cls): calls of cls's instances take the vectorcall path. CPython 3.11 does not let a
   class written in Python inherit it (3.12 does, and drops it where __call__ is assigned);
   annealing.Schedule calls this for each subclass that defines no __call__ of its own. */
static PyObject *enable(PyObject *module, PyObject *cls) {
    if (!PyType_Check(cls) || !PyType_IsSubtype((PyTypeObject *)cls, &FastType)) {
        PyErr_SetString(PyExc_TypeError, "enable: not a subclass of Fast");
        return NULL;
    }
    PyTypeObject *type = (PyTypeObject *)cls;
    if (type->tp_call == fast_call) {
        type->tp_flags |= Py_TPFLAGS_HAVE_VECTORCALL;
    }
    Py_RETURN_NONE;
}

static PyMethodDef module_methods[] = {
    {"enable", enable, METH_O, "Let a subclass's instances be called by vectorcall."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "annealing._speedups", "A schedule's scalar call, compiled.", -1,
    module_methods,
};

PyMODINIT_FUNC PyInit__speedups(void) {
    if (PyType_Ready(&FastType) < 0) {
        return NULL;
    }
    name_call = PyUnicode_InternFromString("_call");
    name_scalar = PyUnicode_InternFromString("_scalar");
    if (name_call == NULL || name_scalar == NULL) {
        return NULL;
    }
    PyObject *m = PyModule_Create(&module);
    if (m == NULL) {
        return NULL;
    }
    Py_INCREF(&FastType);
    if (PyModule_AddObject(m, "Fast", (PyObject *)&FastType) < 0) {
        Py_DECREF(&FastType);
        Py_DECREF(m);
        return NULL;
    }
    PyObject *names = PyTuple_New(OP_COUNT);
    if (names == NULL) {
        Py_DECREF(m);
        return NULL;
    }
    for (int i = 0; i < OP_COUNT; i++) {
        PyObject *name = PyUnicode_FromString(NAMES[i]);
        if (name == NULL) {
            Py_DECREF(names);
            Py_DECREF(m);
            return NULL;
        }
        PyTuple_SET_ITEM(names, i, name);
    }
    if (PyModule_AddObject(m, "NAMES", names) < 0) {
        Py_DECREF(names);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
