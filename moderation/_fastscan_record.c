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
