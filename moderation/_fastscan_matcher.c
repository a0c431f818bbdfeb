/* moderation._fastscan, part 1: the Aho-Corasick Matcher (see _fastscan.c's header comment).
 * Transitions live in one open-addressing hash table keyed by (state, character), so the
 * root costs one probe per character whatever its fan-out. */
#include "_fastscan.h" /* Python.h first, before any standard header */

#include <string.h>

static inline uint64_t slot_key(int32_t state, uint32_t ch) {
    return (((uint64_t)(uint32_t)state << 21) | (uint64_t)ch) + 1;
}

static inline uint64_t slot_hash(int32_t state, uint32_t ch) {
    uint64_t h = (uint64_t)(uint32_t)state * 0x9E3779B97F4A7C15ull ^ (uint64_t)ch * 0xC2B2AE3D27D4EB4Full;
    return h ^ (h >> 29);
}

static inline int32_t goto_lookup(const Matcher *m, int32_t state, uint32_t ch) {
    uint64_t key = slot_key(state, ch);
    uint64_t i = slot_hash(state, ch) & m->mask;
    for (;;) {
        Slot s = m->slots[i];
        if ((s & SLOT_KEY_MASK) == key) return (int32_t)(s >> SLOT_KEY_BITS);
        if (s == 0) return -1;
        i = (i + 1) & m->mask;
    }
}

static void goto_insert(Matcher *m, int32_t state, uint32_t ch, int32_t next) {
    uint64_t key = slot_key(state, ch);
    uint64_t i = slot_hash(state, ch) & m->mask;
    while (m->slots[i] != 0) i = (i + 1) & m->mask;
    m->slots[i] = key | ((uint64_t)(uint32_t)next << SLOT_KEY_BITS);
}

static void Matcher_dealloc(Matcher *self) {
    PyMem_Free(self->slots);
    PyMem_Free(self->fail);
    PyMem_Free(self->out);
    PyMem_Free(self->dict);
    Py_XDECREF(self->payloads);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static int Matcher_init(Matcher *self, PyObject *args, PyObject *kwds) {
    static char *kwlist[] = {"keys", "payloads", NULL};
    PyObject *keys, *payloads;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O!O!", kwlist, &PyList_Type, &keys, &PyList_Type, &payloads))
        return -1;
    Py_ssize_t nkeys = PyList_GET_SIZE(keys);
    if (PyList_GET_SIZE(payloads) != nkeys) {
        PyErr_SetString(PyExc_ValueError, "keys and payloads differ in length");
        return -1;
    }
    if (self->slots != NULL) {
        PyErr_SetString(PyExc_RuntimeError, "Matcher already initialised");
        return -1;
    }
    Py_ssize_t total = 1;
    for (Py_ssize_t k = 0; k < nkeys; k++) {
        PyObject *key = PyList_GET_ITEM(keys, k);
        if (!PyUnicode_Check(key) || PyUnicode_GET_LENGTH(key) == 0) {
            PyErr_SetString(PyExc_TypeError, "keys must be non-empty str");
            return -1;
        }
        total += PyUnicode_GET_LENGTH(key);
    }
    if (total >= MAX_STATES) { /* every state but the root is a key character: states fit a slot's 20 bits */
        PyErr_SetString(PyExc_ValueError, "too many characters in keys (2^20 at most)");
        return -1;
    }
    uint64_t cap = 16;
    while (cap < (uint64_t)total * 2) cap <<= 1;
    self->slots = PyMem_Calloc((size_t)cap, sizeof(Slot));
    self->mask = cap - 1;
    self->fail = PyMem_Calloc((size_t)total, sizeof(int32_t));
    self->out = PyMem_Malloc((size_t)total * sizeof(int32_t));
    self->dict = PyMem_Calloc((size_t)total, sizeof(int32_t));
    int32_t *depth = PyMem_Calloc((size_t)total, sizeof(int32_t));
    int32_t *parent = PyMem_Calloc((size_t)total, sizeof(int32_t));
    uint32_t *via = PyMem_Calloc((size_t)total, sizeof(uint32_t));
    int32_t *order = PyMem_Malloc((size_t)total * sizeof(int32_t));
    int32_t *counts = NULL;
    if (!self->slots || !self->fail || !self->out || !self->dict || !depth || !parent || !via || !order) {
        PyErr_NoMemory();
        goto error;
    }
    for (Py_ssize_t i = 0; i < total; i++) self->out[i] = -1;
    int32_t nstates = 1;
    int32_t maxdepth = 0;
    for (Py_ssize_t k = 0; k < nkeys; k++) {
        PyObject *key = PyList_GET_ITEM(keys, k);
        int kind = PyUnicode_KIND(key);
        const void *data = PyUnicode_DATA(key);
        Py_ssize_t n = PyUnicode_GET_LENGTH(key);
        int32_t s = 0;
        if (n > 0) {
            uint32_t c0 = PyUnicode_READ(kind, data, 0);
            self->first[(c0 >> 6) & 3] |= 1ull << (c0 & 63);
        }
        for (Py_ssize_t j = 0; j < n; j++) {
            uint32_t ch = PyUnicode_READ(kind, data, j);
            int32_t nx = goto_lookup(self, s, ch);
            if (nx < 0) {
                nx = nstates++;
                goto_insert(self, s, ch, nx);
                depth[nx] = depth[s] + 1;
                parent[nx] = s;
                via[nx] = ch;
                if (depth[nx] > maxdepth) maxdepth = depth[nx];
            }
            s = nx;
        }
        self->out[s] = (int32_t)k; /* a repeated key: the last payload wins, as in a dict */
    }
    self->nstates = nstates;
    /* breadth-first order by counting sort on depth */
    counts = PyMem_Calloc((size_t)maxdepth + 2, sizeof(int32_t));
    if (!counts) {
        PyErr_NoMemory();
        goto error;
    }
    for (int32_t v = 0; v < nstates; v++) counts[depth[v] + 1]++;
    for (int32_t d = 1; d <= maxdepth + 1; d++) counts[d] += counts[d - 1];
    for (int32_t v = 0; v < nstates; v++) order[counts[depth[v]]++] = v;
    for (int32_t idx = 0; idx < nstates; idx++) {
        int32_t v = order[idx];
        if (v == 0) continue;
        int32_t p = parent[v];
        int32_t f = 0;
        if (p != 0) {
            f = self->fail[p];
            int32_t nx;
            while ((nx = goto_lookup(self, f, via[v])) < 0 && f != 0) f = self->fail[f];
            f = (nx >= 0 && nx != v) ? nx : 0;
        }
        self->fail[v] = f;
        self->dict[v] = self->out[f] >= 0 ? f : self->dict[f];
    }
    PyMem_Free(depth);
    PyMem_Free(parent);
    PyMem_Free(via);
    PyMem_Free(order);
    PyMem_Free(counts);
    self->payloads = PyList_AsTuple(payloads);
    return self->payloads == NULL ? -1 : 0;
error:
    PyMem_Free(depth);
    PyMem_Free(parent);
    PyMem_Free(via);
    PyMem_Free(order);
    PyMem_Free(counts);
    return -1;
}

/* Every occurrence of every key in buf[0:n): appends (end_inclusive, payload) to a new list. */
PyObject *matcher_run(const Matcher *m, const Py_UCS4 *buf, Py_ssize_t n) {
    PyObject *found = PyList_New(0);
    if (found == NULL) return NULL;
    if (m->slots == NULL) return found; /* not initialised: nothing to find */
    int32_t s = 0;
    for (Py_ssize_t j = 0; j < n; j++) {
        uint32_t ch = buf[j];
        for (;;) {
            int32_t nx = goto_lookup(m, s, ch);
            if (nx >= 0) {
                s = nx;
                break;
            }
            if (s == 0) break;
            s = m->fail[s];
        }
        int32_t t = m->out[s] >= 0 ? s : m->dict[s];
        while (t > 0) {
            PyObject *pos = PyLong_FromSsize_t(j);
            if (pos == NULL) goto error;
            PyObject *pair = PyTuple_New(2);
            if (pair == NULL) {
                Py_DECREF(pos);
                goto error;
            }
            PyObject *payload = PyTuple_GET_ITEM(m->payloads, m->out[t]);
            Py_INCREF(payload);
            PyTuple_SET_ITEM(pair, 0, pos);
            PyTuple_SET_ITEM(pair, 1, payload);
            int rc = PyList_Append(found, pair);
            Py_DECREF(pair);
            if (rc < 0) goto error;
            t = m->dict[t];
        }
    }
    return found;
error:
    Py_DECREF(found);
    return NULL;
}

static PyObject *Matcher_find(Matcher *self, PyObject *text) {
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "find() needs a str");
        return NULL;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    Py_UCS4 *buf = PyUnicode_AsUCS4Copy(text);
    if (buf == NULL) return NULL;
    PyObject *found = matcher_run(self, buf, n);
    PyMem_Free(buf);
    return found;
}

/* One step of the automaton on ch from state s (bits and within); -1 when the root skips a character no key starts
 * with (the caller then reports nothing for it). */
static inline int32_t matcher_step(const Matcher *self, int32_t s, uint32_t ch) {
    if (s == 0 && !((self->first[(ch >> 6) & 3] >> (ch & 63)) & 1)) return -1; /* no key starts with ch */
    for (;;) {
        int32_t nx = goto_lookup(self, s, ch);
        if (nx >= 0) return nx;
        if (s == 0) return 0;
        s = self->fail[s];
    }
}

/* The OR of the payloads (ints below 2^64) of every key found in a str, read in place (no copy, no list): a
 * set of "could match here" tests answered in one pass (round 23: required.presence, the discrimination
 * patterns' required words; a key is found iff it is a substring, which is what the tests ask). */
static PyObject *Matcher_bits(Matcher *self, PyObject *text) {
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "bits() needs a str");
        return NULL;
    }
    uint64_t bits = 0;
    if (self->slots != NULL) {
        int kind = PyUnicode_KIND(text);
        const void *data = PyUnicode_DATA(text);
        Py_ssize_t n = PyUnicode_GET_LENGTH(text);
        int32_t s = 0;
        for (Py_ssize_t j = 0; j < n; j++) {
            int32_t nx = matcher_step(self, s, PyUnicode_READ(kind, data, j));
            if (nx < 0) continue;
            s = nx;
            for (int32_t t = self->out[s] >= 0 ? s : self->dict[s]; t > 0; t = self->dict[t]) {
                unsigned long long v = PyLong_AsUnsignedLongLong(PyTuple_GET_ITEM(self->payloads, self->out[t]));
                if (v == (unsigned long long)-1 && PyErr_Occurred()) return NULL;
                bits |= (uint64_t)v;
            }
        }
    }
    return PyLong_FromUnsignedLongLong((unsigned long long)bits);
}

/* Whether a key lies wholly inside text[start:end), bounds clamped as re's pos and endpos are: the automaton
 * starts at the root at `start` and stops at the first key (round 24: required.gated, a pattern searched only
 * where one of the words every match holds occurs). */
static PyObject *Matcher_within(Matcher *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs < 1 || nargs > 3 || !PyUnicode_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "within() needs a str and at most two int bounds");
        return NULL;
    }
    PyObject *text = args[0];
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    Py_ssize_t start = 0, end = n;
    if (nargs > 1) {
        start = PyNumber_AsSsize_t(args[1], PyExc_OverflowError);
        if (start == -1 && PyErr_Occurred()) return NULL;
    }
    if (nargs > 2) {
        end = PyNumber_AsSsize_t(args[2], PyExc_OverflowError);
        if (end == -1 && PyErr_Occurred()) return NULL;
    }
    if (start < 0) start = 0;
    if (start > n) start = n;
    if (end > n) end = n;
    if (end < start) end = start;
    if (self->slots != NULL) {
        int kind = PyUnicode_KIND(text);
        const void *data = PyUnicode_DATA(text);
        int32_t s = 0;
        for (Py_ssize_t j = start; j < end; j++) {
            int32_t nx = matcher_step(self, s, PyUnicode_READ(kind, data, j));
            if (nx < 0) continue;
            s = nx;
            if (self->out[s] >= 0 || self->dict[s] > 0) Py_RETURN_TRUE;
        }
    }
    Py_RETURN_FALSE;
}

static PyObject *Matcher_states(Matcher *self, PyObject *Py_UNUSED(ignored)) {
    return PyLong_FromSsize_t(self->nstates);
}

static PyMethodDef Matcher_methods[] = {
    {"find", (PyCFunction)Matcher_find, METH_O, "Every occurrence of every key in a normalised str."},
    {"bits", (PyCFunction)Matcher_bits, METH_O, "The OR of the int payloads of every key found in a str."},
    {"within", (PyCFunction)(void (*)(void))Matcher_within, METH_FASTCALL,
     "Whether a key lies wholly inside str[start:end) (bounds clamped as re's pos and endpos)."},
    {"states", (PyCFunction)Matcher_states, METH_NOARGS, "Number of automaton states."},
    {NULL, NULL, 0, NULL},
};

PyTypeObject MatcherType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "moderation._fastscan.Matcher",
    .tp_basicsize = sizeof(Matcher),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Aho-Corasick automaton with hashed (state, character) transitions.",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Matcher_init,
    .tp_dealloc = (destructor)Matcher_dealloc,
    .tp_methods = Matcher_methods,
};
