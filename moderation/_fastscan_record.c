/* moderation._fastscan.Record: builds instances of a frozen, slotted dataclass (decision.Decision,
 * decision.Match) by writing their slots directly. Every chat message gets a fresh Decision; the
 * Python way (object.__new__, then one slot descriptor call per field) cost about 0.4 us of the
 * ~1 us an allowed message takes. Record(cls, names) checks once that ``names`` are exactly the
 * class's own object slots (no __dict__, no other members), so make() fills every slot and an
 * instance it returns is indistinguishable from one built by the class's __init__. */
#include "_fastscan.h"
#include <structmember.h>

#define RECORD_MAX 16

typedef struct {
    PyObject_HEAD
    PyTypeObject *cls;
    Py_ssize_t n;
    Py_ssize_t offsets[RECORD_MAX];
} Record;

static int Record_init(Record *self, PyObject *args, PyObject *kwds) {
    PyObject *cls, *names;
    if (kwds != NULL && PyDict_GET_SIZE(kwds) != 0) {
        PyErr_SetString(PyExc_TypeError, "Record(cls, names) takes no keyword arguments");
        return -1;
    }
    if (!PyArg_ParseTuple(args, "O!O!:Record", &PyType_Type, &cls, &PyTuple_Type, &names)) return -1;
    PyTypeObject *type = (PyTypeObject *)cls;
    Py_ssize_t n = PyTuple_GET_SIZE(names);
    if (n < 1 || n > RECORD_MAX) {
        PyErr_SetString(PyExc_ValueError, "Record(): between 1 and 16 slot names");
        return -1;
    }
    if (type->tp_dictoffset != 0 || type->tp_itemsize != 0 || type->tp_alloc == NULL ||
        type->tp_members == NULL) {
        PyErr_SetString(PyExc_TypeError, "Record(): the class must have __slots__ and no __dict__");
        return -1;
    }
    Py_ssize_t members = 0;
    for (PyMemberDef *m = type->tp_members; m->name != NULL; m++) members++;
    if (members != n) {
        PyErr_SetString(PyExc_ValueError, "Record(): names must list every slot of the class");
        return -1;
    }
    Py_ssize_t offsets[RECORD_MAX];
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *name = PyTuple_GET_ITEM(names, i);
        const char *want = PyUnicode_Check(name) ? PyUnicode_AsUTF8(name) : NULL;
        if (want == NULL) {
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_TypeError, "Record(): slot names must be str");
            return -1;
        }
        offsets[i] = -1;
        for (PyMemberDef *m = type->tp_members; m->name != NULL; m++) {
            if (strcmp(m->name, want) == 0 && m->type == T_OBJECT_EX && !(m->flags & READONLY)) {
                offsets[i] = m->offset;
            }
        }
        for (Py_ssize_t j = 0; j < i && offsets[i] >= 0; j++) {
            if (offsets[j] == offsets[i]) offsets[i] = -1; /* a name given twice */
        }
        if (offsets[i] < 0) {
            PyErr_Format(PyExc_ValueError, "Record(): %s is not a distinct object slot of the class", want);
            return -1;
        }
    }
    Py_INCREF(type);
    Py_XSETREF(self->cls, type);
    self->n = n;
    memcpy(self->offsets, offsets, sizeof(offsets));
    return 0;
}

static void Record_dealloc(Record *self) {
    Py_XDECREF(self->cls);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* make(v0, v1, ...) -> a new instance with its slots set to the values, in the order of ``names``. */
static PyObject *Record_make(Record *self, PyObject *const *args, Py_ssize_t nargs) {
    if (self->cls == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "Record not initialised");
        return NULL;
    }
    if (nargs != self->n) {
        PyErr_Format(PyExc_TypeError, "make() takes %zd arguments (%zd given)", self->n, nargs);
        return NULL;
    }
    PyObject *obj = self->cls->tp_alloc(self->cls, 0); /* zeroed; GC-tracked if the class is */
    if (obj == NULL) return NULL;
    for (Py_ssize_t i = 0; i < nargs; i++) {
        PyObject **slot = (PyObject **)((char *)obj + self->offsets[i]);
        Py_INCREF(args[i]);
        *slot = args[i];
    }
    return obj;
}

static PyMethodDef Record_methods[] = {
    {"make", (PyCFunction)(void (*)(void))Record_make, METH_FASTCALL,
     "make(*values) -> a new instance of the class with its slots set, in the order given to Record()"},
    {NULL, NULL, 0, NULL},
};

PyTypeObject RecordType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "moderation._fastscan.Record",
    .tp_basicsize = sizeof(Record),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Record(cls, slot_names): make(*values) builds an instance of a slotted class directly.",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Record_init,
    .tp_dealloc = (destructor)Record_dealloc,
    .tp_methods = Record_methods,
};

/* moderation._fastscan.TupleRecord: builds instances of a NamedTuple (policy.Hit, normalize.Folded) directly.
 * A NamedTuple's __new__ is a generated Python function: calling the class from compiled code ran an
 * interpreted frame and copied the values through an argument tuple (about 2,500 instructions per Hit; a
 * flagged message builds several). TupleRecord(cls, size, defaults) checks once that ``cls`` is a tuple
 * subclass without a __dict__ whose _fields has ``size`` names and whose _field_defaults are exactly the
 * last ``len(defaults)`` values given; make() then allocates the instance and stores the values, so what
 * it returns equals ``cls(*values)`` (same type, same items). */
typedef struct {
    PyObject_HEAD
    PyTypeObject *cls;
    Py_ssize_t n;
    PyObject *defaults; /* tuple: the values of the last len(defaults) fields when not given */
} TupleRecord;

static int TupleRecord_init(TupleRecord *self, PyObject *args, PyObject *kwds) {
    PyObject *cls, *defaults;
    Py_ssize_t n;
    if (kwds != NULL && PyDict_GET_SIZE(kwds) != 0) {
        PyErr_SetString(PyExc_TypeError, "TupleRecord(cls, size, defaults) takes no keyword arguments");
        return -1;
    }
    if (!PyArg_ParseTuple(args, "O!nO!:TupleRecord", &PyType_Type, &cls, &n, &PyTuple_Type, &defaults)) return -1;
    PyTypeObject *type = (PyTypeObject *)cls;
    if (!PyType_IsSubtype(type, &PyTuple_Type) || type == &PyTuple_Type || type->tp_dictoffset != 0) {
        PyErr_SetString(PyExc_TypeError, "TupleRecord(): cls must be a tuple subclass without __dict__ (a NamedTuple)");
        return -1;
    }
    Py_ssize_t nd = PyTuple_GET_SIZE(defaults);
    PyObject *fields = PyObject_GetAttrString(cls, "_fields");
    PyObject *known = fields == NULL ? NULL : PyObject_GetAttrString(cls, "_field_defaults");
    int ok = known != NULL && PyTuple_Check(fields) && PyTuple_GET_SIZE(fields) == n && n >= 1 && nd <= n &&
             PyDict_Check(known) && PyDict_GET_SIZE(known) == nd;
    for (Py_ssize_t i = 0; ok && i < nd; i++) { /* the last nd fields, their defaults in order */
        PyObject *value = PyDict_GetItemWithError(known, PyTuple_GET_ITEM(fields, n - nd + i));
        ok = value != NULL && PyObject_RichCompareBool(value, PyTuple_GET_ITEM(defaults, i), Py_EQ) == 1;
    }
    Py_XDECREF(fields);
    Py_XDECREF(known);
    if (!ok) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_ValueError,
                            "TupleRecord(): size must be len(cls._fields) and defaults cls._field_defaults' values");
        return -1;
    }
    Py_INCREF(type);
    Py_XSETREF(self->cls, type);
    Py_INCREF(defaults);
    Py_XSETREF(self->defaults, defaults);
    self->n = n;
    return 0;
}

static void TupleRecord_dealloc(TupleRecord *self) {
    Py_XDECREF(self->cls);
    Py_XDECREF(self->defaults);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* make(v0, v1, ...) -> cls(v0, v1, ...): the missing trailing fields take their defaults. */
static PyObject *TupleRecord_make(TupleRecord *self, PyObject *const *args, Py_ssize_t nargs) {
    if (self->cls == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "TupleRecord not initialised");
        return NULL;
    }
    Py_ssize_t n = self->n, nd = PyTuple_GET_SIZE(self->defaults);
    if (nargs > n || nargs < n - nd) {
        PyErr_Format(PyExc_TypeError, "make() takes %zd to %zd arguments (%zd given)", n - nd, n, nargs);
        return NULL;
    }
    PyObject *obj = self->cls->tp_alloc(self->cls, n); /* as tuple_subtype_new: GC-tracked */
    if (obj == NULL) return NULL;
    for (Py_ssize_t i = 0; i < nargs; i++) {
        Py_INCREF(args[i]);
        PyTuple_SET_ITEM(obj, i, args[i]);
    }
    for (Py_ssize_t i = nargs; i < n; i++) {
        PyObject *v = PyTuple_GET_ITEM(self->defaults, i - (n - nd));
        Py_INCREF(v);
        PyTuple_SET_ITEM(obj, i, v);
    }
    return obj;
}

static PyMethodDef TupleRecord_methods[] = {
    {"make", (PyCFunction)(void (*)(void))TupleRecord_make, METH_FASTCALL,
     "make(*values) -> cls(*values), without running the NamedTuple's Python __new__"},
    {NULL, NULL, 0, NULL},
};

PyTypeObject TupleRecordType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "moderation._fastscan.TupleRecord",
    .tp_basicsize = sizeof(TupleRecord),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "TupleRecord(cls, size, defaults): make(*values) builds a NamedTuple instance directly.",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)TupleRecord_init,
    .tp_dealloc = (destructor)TupleRecord_dealloc,
    .tp_methods = TupleRecord_methods,
};
