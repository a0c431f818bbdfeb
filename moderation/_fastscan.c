/* moderation._fastscan: the moderation filter's per-message front end in one C call.
 *
 * Theory of operation. The pure-Python engine (moderation/engine.py) is the reference;
 * this module does the part of it that runs for EVERY message, with the same tables:
 *
 *   Folder(table, astral_keys, astral_values, pool, flags, digits)
 *       The normaliser's precomputed str.translate table, flattened by moderation/fast.py:
 *       per code point below 0x20000 one uint32 (a code point, DELETED, MARK = deleted
 *       combining mark, or EXPAND_BASE + index into `pool` = [length, chars...]); code
 *       points above that are looked up in a sorted exception list (kept otherwise).
 *       `flags` has one byte per code point below 0x20000: digit-ish, never collapsed,
 *       clause end, question end, at sign; `digits` one byte per code point below 0x20000:
 *       1 + the digit a digit-ish character stands for in the number view (0 = none).
 *   Matcher(keys, payloads)   [_fastscan_matcher.c]
 *       An Aho-Corasick automaton over normalised keys; transitions in one open-addressing
 *       hash table keyed by (state, character), so the root costs one probe per character
 *       whatever its fan-out (pyahocorasick scans the root's children linearly).
 *   Folder.scan(text, matcher, org_matcher)
 *       One pass over the text: fold each character, delete separators, collapse
 *       repeats, keep per normalised character its [start, end) in the original text,
 *       note clause ends; then run the automata over the folded text. Returns None when
 *       nothing can matter (no term or anchor found, no phone or ID number, no at sign, no Latin
 *       letter: a term may be written in pinyin, moderation.pinyin, which then reads the folded
 *       text and, on a match, the rules its offsets); otherwise (folded, found, org_found, offsets,
 *       clause_ends, questions, numbers, at_sign, latin), `offsets` the starts then the ends as native
 *       Py_ssize_t in bytes (Folder.offsets(offsets) -> (starts, ends) lists, built only when needed), `found` shaped like pyahocorasick's iter(): [(end_index_inclusive,
 *       payload), ...], `numbers` what detectors.numbers() yields: [("pii", "phone" | "id",
 *       start, end, label), ...] in normalised indexes.
 *
 * Semantics follow Normalizer.fold_with_offsets_loop exactly (tests compare both paths
 * on the corpus and on random text). No global state; the GIL is held throughout.
 */
#include "_fastscan.h" /* Python.h first, before any standard header */

#include <string.h>

#define FAST_LIMIT 0x20000u
#define T_DELETED 0xFFFFFFFFu
#define T_MARK 0xFFFFFFFEu
#define T_EXPAND_BASE 0x80000000u

#define F_DIGITISH 0x01
#define F_NOCOLLAPSE 0x02
#define F_CLAUSE 0x04
#define F_QUESTION 0x08
#define F_AT 0x10

#define DIGIT_RUN_MIN 5
#define STACK_CHARS 512

/* ------------------------------------------------------------------ Folder */

typedef struct {
    PyObject_HEAD
    uint32_t *table;  /* FAST_LIMIT entries */
    uint32_t *akeys;  /* sorted astral code points with an entry */
    uint32_t *avals;
    Py_ssize_t nastral;
    uint32_t *pool;   /* expansions: [length, chars...] */
    Py_ssize_t npool;
    uint8_t *flags;   /* FAST_LIMIT entries */
    uint8_t *digits;  /* FAST_LIMIT entries: 1 + digit value, 0 = not digit-ish */
    Py_ssize_t maxexpand;
} Folder;

static void Folder_dealloc(Folder *self) {
    PyMem_Free(self->table);
    PyMem_Free(self->akeys);
    PyMem_Free(self->avals);
    PyMem_Free(self->pool);
    PyMem_Free(self->flags);
    PyMem_Free(self->digits);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static void *copy_buffer(Py_buffer *view, size_t itemsize, Py_ssize_t *count) {
    if (view->len % (Py_ssize_t)itemsize != 0) {
        PyErr_SetString(PyExc_ValueError, "buffer length is not a multiple of the item size");
        return NULL;
    }
    *count = view->len / (Py_ssize_t)itemsize;
    void *out = PyMem_Malloc(view->len > 0 ? (size_t)view->len : 1);
    if (out == NULL) return PyErr_NoMemory();
    memcpy(out, view->buf, (size_t)view->len);
    return out;
}

static int check_entry(uint32_t v, Py_ssize_t npool, const uint32_t *pool) {
    if (v == T_DELETED || v == T_MARK || v < 0x110000u) return 1;
    if (v < T_EXPAND_BASE) return 0;
    uint64_t at = v - T_EXPAND_BASE;
    if (at >= (uint64_t)npool) return 0;
    uint64_t len = pool[at];
    if (len == 0 || at + 1 + len > (uint64_t)npool) return 0;
    for (uint64_t i = 0; i < len; i++)
        if (pool[at + 1 + i] >= 0x110000u) return 0;
    return 1;
}

static int Folder_init(Folder *self, PyObject *args, PyObject *kwds) {
    static char *kwlist[] = {"table", "astral_keys", "astral_values", "pool", "flags", "digits", NULL};
    Py_buffer table, akeys, avals, pool, flags, digits;
    if (self->table != NULL) {
        PyErr_SetString(PyExc_RuntimeError, "Folder already initialised");
        return -1;
    }
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "y*y*y*y*y*y*", kwlist, &table, &akeys, &avals, &pool, &flags,
                                     &digits))
        return -1;
    int rc = -1;
    Py_ssize_t ntable, nflags, nvals, ndigits;
    if (!(self->table = copy_buffer(&table, 4, &ntable))) goto done;
    if (!(self->akeys = copy_buffer(&akeys, 4, &self->nastral))) goto done;
    if (!(self->avals = copy_buffer(&avals, 4, &nvals))) goto done;
    if (!(self->pool = copy_buffer(&pool, 4, &self->npool))) goto done;
    if (!(self->flags = copy_buffer(&flags, 1, &nflags))) goto done;
    if (!(self->digits = copy_buffer(&digits, 1, &ndigits))) goto done;
    if (ntable != (Py_ssize_t)FAST_LIMIT || nflags != (Py_ssize_t)FAST_LIMIT || ndigits != (Py_ssize_t)FAST_LIMIT ||
        nvals != self->nastral) {
        PyErr_SetString(PyExc_ValueError, "table/flags must cover 0x20000 code points; astral keys/values pair up");
        goto done;
    }
    for (Py_ssize_t i = 0; i < ntable; i++) {
        if (!check_entry(self->table[i], self->npool, self->pool)) {
            PyErr_Format(PyExc_ValueError, "bad table entry for U+%04zX", i);
            goto done;
        }
    }
    for (Py_ssize_t i = 0; i < self->nastral; i++) {
        if (!check_entry(self->avals[i], self->npool, self->pool) || self->akeys[i] < FAST_LIMIT ||
            (i > 0 && self->akeys[i] <= self->akeys[i - 1])) {
            PyErr_SetString(PyExc_ValueError, "astral keys must be sorted code points >= 0x20000 with valid values");
            goto done;
        }
    }
    for (Py_ssize_t i = 0; i < ndigits; i++) {
        if (self->digits[i] > 10 || (self->digits[i] != 0) != ((self->flags[i] & F_DIGITISH) != 0)) {
            PyErr_SetString(PyExc_ValueError, "digits must give 1 + a digit for exactly the digit-ish characters");
            goto done;
        }
    }
    self->maxexpand = 1;
    for (Py_ssize_t i = 0; i < self->npool;) {
        Py_ssize_t len = (Py_ssize_t)self->pool[i];
        if (len > self->maxexpand) self->maxexpand = len;
        i += 1 + len;
    }
    rc = 0;
done:
    PyBuffer_Release(&table);
    PyBuffer_Release(&akeys);
    PyBuffer_Release(&avals);
    PyBuffer_Release(&pool);
    PyBuffer_Release(&flags);
    PyBuffer_Release(&digits);
    return rc;
}

static inline uint32_t astral_lookup(const Folder *f, uint32_t cp) {
    Py_ssize_t lo = 0, hi = f->nastral;
    while (lo < hi) {
        Py_ssize_t mid = (lo + hi) >> 1;
        if (f->akeys[mid] < cp) lo = mid + 1;
        else hi = mid;
    }
    return (lo < f->nastral && f->akeys[lo] == cp) ? f->avals[lo] : cp;
}

typedef struct {
    Py_UCS4 *chars;
    Py_ssize_t *starts;
    Py_ssize_t *ends;
    Py_ssize_t kept;
} Out;

static inline void emit(const Folder *f, Out *o, Py_UCS4 c, Py_ssize_t i) {
    Py_ssize_t k = o->kept;
    if (k > 0 && o->chars[k - 1] == c && !(c < FAST_LIMIT && (f->flags[c] & F_NOCOLLAPSE))) {
        o->ends[k - 1] = i + 1; /* a repeated character extends the kept one's span */
        return;
    }
    o->chars[k] = c;
    o->starts[k] = i;
    o->ends[k] = i + 1;
    o->kept = k + 1;
}

static PyObject *int_list(const Py_ssize_t *values, Py_ssize_t n) {
    PyObject *list = PyList_New(n);
    if (list == NULL) return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *v = PyLong_FromSsize_t(values[i]);
        if (v == NULL) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, i, v);
    }
    return list;
}

/* detectors.id_shape_ok: region digit and birth date only. A mistyped (or made-up) check character
 * still exposes the rest of a person's ID number (issue 14), so it is found as well. */
static int id_shape_ok(const int *d) {
    int month = d[10] * 10 + d[11], day = d[12] * 10 + d[13];
    if (!(1 <= month && month <= 12 && 1 <= day && day <= 31)) return 0;
    return (d[6] == 1 && d[7] == 9) || (d[6] == 2 && d[7] == 0);
}

static int append_number(PyObject *list, const char *kind, Py_ssize_t start, Py_ssize_t end, const char *label) {
    PyObject *raw = Py_BuildValue("(ssnns)", "pii", kind, start, end, label);
    if (raw == NULL) return -1;
    int rc = PyList_Append(list, raw);
    Py_DECREF(raw);
    return rc;
}

/* detectors.numbers(): every maximal run of >= 5 digit-ish characters (plus an 'x' right
 * after it), unless mostly o/l letters; a mobile number is the whole run (1[3-9] + 9
 * digits), an ID number the whole run of 18 (or 17 + 'x') with a plausible birth date. */
static PyObject *find_numbers(const Folder *f, const Py_UCS4 *c, Py_ssize_t n) {
    PyObject *out = PyList_New(0);
    if (out == NULL) return NULL;
    Py_ssize_t j = 0;
    while (j < n) {
        if (!(c[j] < FAST_LIMIT && f->digits[c[j]])) {
            j++;
            continue;
        }
        Py_ssize_t k = j;
        while (k < n && c[k] < FAST_LIMIT && f->digits[c[k]]) k++;
        Py_ssize_t len = k - j;
        if (len < DIGIT_RUN_MIN) {
            j = k;
            continue;
        }
        int has_x = k < n && c[k] == 'x';
        Py_ssize_t end = k + has_x, letters = 0;
        for (Py_ssize_t i = j; i < k; i++) letters += (c[i] == 'o' || c[i] == 'l');
        /* mostly o/l letters is no number, unless shaped as a mobile one (1, then a real 3-9): l39oooo1lll */
        int phone_shaped = len == 11 && f->digits[c[j]] == 2 && f->digits[c[j + 1]] >= 4;
        if (end - j - letters >= 7 || phone_shaped) {
            int d[18];
            for (Py_ssize_t i = 0; i < len && i < 18; i++) d[i] = f->digits[c[j + i]] - 1;
            /* a mobile number in ASCII digits run into numerals after it: 138…，二十四小时开机 folds to 138…二十四 */
            if (len > 11 && c[j + 11] >= 0x80 && d[0] == 1 && d[1] >= 3) {
                int ascii = 1;
                for (Py_ssize_t i = j; i < j + 11; i++) ascii &= (c[i] >= '0' && c[i] <= '9');
                if (ascii && append_number(out, "phone", j, j + 11, "phone") < 0) goto error;
            }
            /* an ID number in ASCII digits run into numerals after it: …0828，三年收银经验 folds to …0828三 */
            if (len > 18 && c[j + 18] >= 0x80 && d[0] >= 1 && d[0] <= 8 && id_shape_ok(d)) {
                int ascii = 1;
                for (Py_ssize_t i = j; i < j + 18; i++) ascii &= (c[i] >= '0' && c[i] <= '9');
                if (ascii && append_number(out, "id", j, j + 18, "id_number") < 0) goto error;
            }
            if (len == 11 && d[0] == 1 && d[1] >= 3) {
                if (append_number(out, "phone", j, j + 11, "phone") < 0) goto error;
            } else if (len == 12 && c[j] >= 0x80 && d[1] == 1 && d[2] >= 3) {
                /* a name ending in a numeral right before the number: 张三，138… folds to 三138… */
                if (append_number(out, "phone", j + 1, j + 12, "phone") < 0) goto error;
            } else if ((len == 18 || (len == 17 && has_x)) && d[0] >= 1 && d[0] <= 8 &&
                       id_shape_ok(d)) {
                if (append_number(out, "id", j, j + 18, "id_number") < 0) goto error;
            }
        }
        j = end;
    }
    return out;
error:
    Py_DECREF(out);
    return NULL;
}

static PyObject *Folder_scan(Folder *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "scan(text, matcher, org_matcher) takes 3 arguments");
        return NULL;
    }
    PyObject *text = args[0];
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "scan() needs a str");
        return NULL;
    }
    if (!PyObject_TypeCheck(args[1], &MatcherType) || (args[2] != Py_None && !PyObject_TypeCheck(args[2], &MatcherType))) {
        PyErr_SetString(PyExc_TypeError, "scan() needs a Matcher and a Matcher or None");
        return NULL;
    }
    if (self->table == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "Folder not initialised");
        return NULL;
    }
    const Matcher *matcher = (const Matcher *)args[1];
    const Matcher *org = args[2] == Py_None ? NULL : (const Matcher *)args[2];
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);

    Py_UCS4 stack_chars[STACK_CHARS];
    Py_ssize_t stack_starts[STACK_CHARS], stack_ends[STACK_CHARS], stack_clauses[STACK_CHARS];
    uint8_t stack_q[STACK_CHARS];
    Out o = {stack_chars, stack_starts, stack_ends, 0};
    Py_ssize_t *clause_ends = stack_clauses;
    uint8_t *question = stack_q;
    void *heap = NULL;
    if (n > PY_SSIZE_T_MAX / 64 / self->maxexpand) return PyErr_NoMemory();
    Py_ssize_t cap = n * self->maxexpand;
    if (cap > STACK_CHARS || n + 1 > STACK_CHARS) {
        Py_ssize_t cl = n + 1;
        size_t bytes = (size_t)cap * (sizeof(Py_UCS4) + 2 * sizeof(Py_ssize_t)) + (size_t)cl * (sizeof(Py_ssize_t) + 1);
        heap = PyMem_Malloc(bytes ? bytes : 1);
        if (heap == NULL) return PyErr_NoMemory();
        char *p = heap;
        o.starts = (Py_ssize_t *)p;
        p += (size_t)cap * sizeof(Py_ssize_t);
        o.ends = (Py_ssize_t *)p;
        p += (size_t)cap * sizeof(Py_ssize_t);
        clause_ends = (Py_ssize_t *)p;
        p += (size_t)cl * sizeof(Py_ssize_t);
        o.chars = (Py_UCS4 *)p;
        p += (size_t)cap * sizeof(Py_UCS4);
        question = (uint8_t *)p;
    }
    Py_ssize_t nclauses = 0;
    int at_sign = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 cp = PyUnicode_READ(kind, data, i);
        uint32_t v;
        if (cp < FAST_LIMIT) {
            uint8_t fl = self->flags[cp];
            if (fl & (F_CLAUSE | F_AT)) {
                if (fl & F_AT) at_sign = 1;
                if (fl & F_CLAUSE) { /* Folded.clauses(): clause ends in normalised indexes */
                    Py_ssize_t k = o.kept;
                    if (k && (nclauses == 0 || clause_ends[nclauses - 1] != k)) {
                        clause_ends[nclauses] = k;
                        question[nclauses] = 0;
                        nclauses++;
                    }
                    if ((fl & F_QUESTION) && nclauses && clause_ends[nclauses - 1] == k) question[nclauses - 1] = 1;
                }
            }
            v = self->table[cp];
        } else {
            v = astral_lookup(self, cp);
        }
        if (v < 0x110000u) {
            emit(self, &o, v, i);
        } else if (v == T_DELETED) {
            continue;
        } else if (v == T_MARK) {
            if (o.kept && o.ends[o.kept - 1] == i) o.ends[o.kept - 1] = i + 1; /* keycap, variation selector */
        } else {
            const uint32_t *e = &self->pool[v - T_EXPAND_BASE];
            for (uint32_t j = 1; j <= e[0]; j++) emit(self, &o, e[j], i);
        }
    }
    if (n > 0 && o.kept > 0) {
        Py_UCS4 last = PyUnicode_READ(kind, data, n - 1);
        if (last < FAST_LIMIT && (self->flags[last] & F_QUESTION)) {
            if (nclauses == 0 || clause_ends[nclauses - 1] != o.kept) {
                clause_ends[nclauses] = o.kept;
                nclauses++;
            }
            question[nclauses - 1] = 1;
        }
    }
    PyObject *result = NULL, *found = NULL, *org_found = NULL, *folded = NULL, *offsets = NULL;
    PyObject *clauses = NULL, *questions = NULL, *numbers = NULL;
    numbers = find_numbers(self, o.chars, o.kept);
    if (numbers == NULL) goto done;
    found = matcher_run(matcher, o.chars, o.kept);
    if (found == NULL) goto done;
    if (org != NULL) {
        org_found = matcher_run(org, o.chars, o.kept);
        if (org_found == NULL) goto done;
    } else {
        org_found = PyList_New(0);
        if (org_found == NULL) goto done;
    }
    int latin = 0;
    for (Py_ssize_t i = 0; i < o.kept && !latin; i++) latin = o.chars[i] >= 'a' && o.chars[i] <= 'z';
    if (PyList_GET_SIZE(found) == 0 && PyList_GET_SIZE(org_found) == 0 && PyList_GET_SIZE(numbers) == 0 && !at_sign &&
        !latin) {
        result = Py_NewRef(Py_None);
        goto done;
    }
    folded = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, o.chars, o.kept);
    /* the offsets packed (starts, then ends): most messages with a hit are cleared before anything reads them,
     * so the lists are built by offsets() only for the ones that get that far (round 16) */
    offsets = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)(2 * o.kept * sizeof(Py_ssize_t)));
    if (offsets != NULL && o.kept > 0) {
        memcpy(PyBytes_AS_STRING(offsets), o.starts, o.kept * sizeof(Py_ssize_t));
        memcpy(PyBytes_AS_STRING(offsets) + o.kept * sizeof(Py_ssize_t), o.ends, o.kept * sizeof(Py_ssize_t));
    }
    clauses = int_list(clause_ends, nclauses);
    questions = PySet_New(NULL);
    if (!folded || !offsets || !clauses || !questions) goto done;
    for (Py_ssize_t c = 0; c < nclauses; c++) {
        if (!question[c]) continue;
        PyObject *idx = PyLong_FromSsize_t(c);
        if (idx == NULL || PySet_Add(questions, idx) < 0) {
            Py_XDECREF(idx);
            goto done;
        }
        Py_DECREF(idx);
    }
    result = PyTuple_Pack(9, folded, found, org_found, offsets, clauses, questions,
                          numbers, at_sign ? Py_True : Py_False, latin ? Py_True : Py_False);
done:
    Py_XDECREF(found);
    Py_XDECREF(org_found);
    Py_XDECREF(folded);
    Py_XDECREF(offsets);
    Py_XDECREF(clauses);
    Py_XDECREF(questions);
    Py_XDECREF(numbers);
    PyMem_Free(heap);
    return result;
}

/* FNV-1a over the code points of one n-gram, digits 1-9 read as 0: learned.gram_hash. */
static inline uint32_t gram_hash(const Py_UCS4 *c, int n) {
    uint32_t h = 2166136261u;
    for (int i = 0; i < n; i++) {
        uint32_t ch = c[i];
        if (ch >= '1' && ch <= '9') ch = '0';
        h = (h ^ ch) * 16777619u;
    }
    return h;
}

/* hashed(text, weights, k) -> float or k floats: the learned stage with the hashing trick. Folds like
 * scan() (no offsets, no clauses; a run of more than three ASCII or full-width digits keeps its first three,
 * as learned.model_text does), then adds weights[(hash(gram) & mask) * k + j] (float32) for every 2-gram, then every
 * 3-gram, in that order (learned.grams' order, so the Python reference sums the same way). A dense
 * table of a few hundred KB stays in cache, where an automaton over the n-grams did not. */
static PyObject *Folder_hashed(Folder *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 3 || !PyUnicode_Check(args[0]) || !PyBytes_Check(args[1]) || !PyLong_Check(args[2])) {
        PyErr_SetString(PyExc_TypeError, "hashed(text, weights, k) needs a str, bytes and an int");
        return NULL;
    }
    Py_ssize_t k = PyLong_AsSsize_t(args[2]);
    Py_ssize_t size = PyBytes_GET_SIZE(args[1]);
    if (k < 1 || k > 64 || size % (Py_ssize_t)(4 * k) != 0) {
        PyErr_SetString(PyExc_ValueError, "hashed(): weights must hold buckets * k float32 values");
        return NULL;
    }
    size_t buckets = (size_t)(size / (4 * k));
    if (buckets == 0 || (buckets & (buckets - 1)) != 0) {
        PyErr_SetString(PyExc_ValueError, "hashed(): the number of buckets must be a power of two");
        return NULL;
    }
    if (self->table == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "Folder not initialised");
        return NULL;
    }
    const float *w = (const float *)PyBytes_AS_STRING(args[1]);
    PyObject *text = args[0];
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    if (n > PY_SSIZE_T_MAX / 64 / self->maxexpand) return PyErr_NoMemory();
    Py_ssize_t cap = n * self->maxexpand;
    Py_UCS4 stack_chars[STACK_CHARS];
    Py_ssize_t stack_starts[STACK_CHARS], stack_ends[STACK_CHARS];
    Out o = {stack_chars, stack_starts, stack_ends, 0};
    void *heap = NULL;
    if (cap > STACK_CHARS) {
        heap = PyMem_Malloc((size_t)cap * (sizeof(Py_UCS4) + 2 * sizeof(Py_ssize_t)));
        if (heap == NULL) return PyErr_NoMemory();
        o.starts = (Py_ssize_t *)heap;
        o.ends = o.starts + cap;
        o.chars = (Py_UCS4 *)(o.ends + cap);
    }
    Py_ssize_t digits = 0; /* learned.model_text: a run of more than three digits keeps its first three */
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 cp = PyUnicode_READ(kind, data, i);
        if ((cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19)) {
            if (++digits > 3) continue;
        } else {
            digits = 0;
        }
        uint32_t v = cp < FAST_LIMIT ? self->table[cp] : astral_lookup(self, cp);
        if (v < 0x110000u) {
            emit(self, &o, v, i);
        } else if (v >= T_EXPAND_BASE && v != T_DELETED && v != T_MARK) {
            const uint32_t *e = &self->pool[v - T_EXPAND_BASE];
            for (uint32_t j = 1; j <= e[0]; j++) emit(self, &o, e[j], i);
        }
    }
    size_t mask = buckets - 1;
    /* round 22: gram_hash's digit rule applied once per character (the folded characters serve nothing else here),
     * so each n-gram is hashed by the bare FNV-1a steps; and k == 1 (the engine's call) sums into one double. The
     * hashes, the additions and their order are gram_hash's and the loop's below: every 2-gram, then every 3-gram. */
    Py_UCS4 *c = o.chars;
    for (Py_ssize_t i = 0; i < o.kept; i++) {
        if (c[i] >= '1' && c[i] <= '9') c[i] = '0';
    }
    if (k == 1) {
        double sum = 0;
        for (Py_ssize_t i = 0; i + 2 <= o.kept; i++)
            sum += w[(((2166136261u ^ c[i]) * 16777619u ^ c[i + 1]) * 16777619u) & mask];
        for (Py_ssize_t i = 0; i + 3 <= o.kept; i++)
            sum += w[((((2166136261u ^ c[i]) * 16777619u ^ c[i + 1]) * 16777619u ^ c[i + 2]) * 16777619u) & mask];
        PyMem_Free(heap);
        return PyFloat_FromDouble(sum);
    }
    double sums[64] = {0};
    for (int g = 2; g <= 3; g++) {
        for (Py_ssize_t i = 0; i + g <= o.kept; i++) {
            const float *row = w + (size_t)(gram_hash(c + i, g) & mask) * (size_t)k;
            for (Py_ssize_t j = 0; j < k; j++) sums[j] += row[j];
        }
    }
    PyMem_Free(heap);
    PyObject *result = PyTuple_New(k);
    for (Py_ssize_t j = 0; result != NULL && j < k; j++) {
        PyObject *v = PyFloat_FromDouble(sums[j]);
        if (v == NULL) Py_CLEAR(result);
        else PyTuple_SET_ITEM(result, j, v);
    }
    return result;
}

/* fold(text) -> Normalizer.fold(text): scan()'s folding alone (no offsets, clauses or automaton). The engine's
 * fold() on the learned stage's flag path (model_warned) ran str.translate over a 0x20000-entry list plus the
 * repeat probe: about 1.7 us for a 30-character message, on messages already among the slowest. */
static PyObject *Folder_fold(Folder *self, PyObject *text) {
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "fold() needs a str");
        return NULL;
    }
    if (self->table == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "Folder not initialised");
        return NULL;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    if (n > PY_SSIZE_T_MAX / 64 / self->maxexpand) return PyErr_NoMemory();
    Py_ssize_t cap = n * self->maxexpand;
    Py_UCS4 stack_chars[STACK_CHARS];
    Py_UCS4 *out = stack_chars;
    if (cap > STACK_CHARS) {
        out = PyMem_Malloc((size_t)cap * sizeof(Py_UCS4));
        if (out == NULL) return PyErr_NoMemory();
    }
    Py_ssize_t k = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 cp = PyUnicode_READ(kind, data, i);
        uint32_t v = cp < FAST_LIMIT ? self->table[cp] : astral_lookup(self, cp);
        const uint32_t *chars = &v;
        uint32_t count = 1;
        if (v == T_DELETED || v == T_MARK) continue; /* a mark only widens the kept span: no text */
        if (v >= 0x110000u) {
            chars = &self->pool[v - T_EXPAND_BASE + 1];
            count = self->pool[v - T_EXPAND_BASE];
        }
        for (uint32_t j = 0; j < count; j++) { /* emit(): a repeated character collapses unless digit-ish or Latin */
            Py_UCS4 c = chars[j];
            if (k > 0 && out[k - 1] == c && !(c < FAST_LIMIT && (self->flags[c] & F_NOCOLLAPSE))) continue;
            out[k++] = c;
        }
    }
    PyObject *folded = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, out, k);
    if (out != stack_chars) PyMem_Free(out);
    return folded;
}

/* offsets(packed) -> (starts, ends): the lists scan() packed into bytes. */
static PyObject *Folder_offsets(Folder *self, PyObject *packed) {
    (void)self;
    if (!PyBytes_Check(packed) || PyBytes_GET_SIZE(packed) % (2 * (Py_ssize_t)sizeof(Py_ssize_t)) != 0) {
        PyErr_SetString(PyExc_TypeError, "offsets() needs the bytes scan() returned");
        return NULL;
    }
    Py_ssize_t n = PyBytes_GET_SIZE(packed) / (2 * (Py_ssize_t)sizeof(Py_ssize_t));
    Py_ssize_t *values = PyMem_Malloc((size_t)(2 * n + 1) * sizeof(Py_ssize_t)); /* aligned copy */
    if (values == NULL) return PyErr_NoMemory();
    memcpy(values, PyBytes_AS_STRING(packed), (size_t)(2 * n) * sizeof(Py_ssize_t));
    PyObject *starts = int_list(values, n), *ends = int_list(values + n, n), *result = NULL;
    if (starts != NULL && ends != NULL) result = PyTuple_Pack(2, starts, ends);
    Py_XDECREF(starts);
    Py_XDECREF(ends);
    PyMem_Free(values);
    return result;
}

static PyMethodDef Folder_methods[] = {
    {"scan", (PyCFunction)(void (*)(void))Folder_scan, METH_FASTCALL,
     "scan(text, matcher, org_matcher) -> None | (folded, found, org_found, offsets, clause_ends, "
     "questions, numbers, at_sign, latin)"},
    {"offsets", (PyCFunction)Folder_offsets, METH_O, "offsets(packed) -> (starts, ends): scan()'s offsets as lists"},
    {"fold", (PyCFunction)Folder_fold, METH_O, "fold(text) -> the normalised text (Normalizer.fold), no offsets"},
    {"hashed", (PyCFunction)(void (*)(void))Folder_hashed, METH_FASTCALL,
     "hashed(text, weights, k) -> float (k == 1) or (float, ...): fold, then sum hashed 2/3-gram weights"},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject FolderType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "moderation._fastscan.Folder",
    .tp_basicsize = sizeof(Folder),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "The normaliser's tables; scan() folds, maps offsets and runs the automata in one pass.",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Folder_init,
    .tp_dealloc = (destructor)Folder_dealloc,
    .tp_methods = Folder_methods,
};

/* ------------------------------------------------------------------ module */

static struct PyModuleDef fastscan_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "moderation._fastscan",
    .m_doc = "Compiled front end of the moderation filter (normalise + offsets + Aho-Corasick).",
    .m_size = -1,
};

PyMODINIT_FUNC PyInit__fastscan(void) {
    if (PyType_Ready(&MatcherType) < 0 || PyType_Ready(&FolderType) < 0 || PyType_Ready(&RecordType) < 0 ||
        PyType_Ready(&TupleRecordType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&fastscan_module);
    if (m == NULL) return NULL;
    if (PyModule_AddObjectRef(m, "Matcher", (PyObject *)&MatcherType) < 0 ||
        PyModule_AddObjectRef(m, "Folder", (PyObject *)&FolderType) < 0 ||
        PyModule_AddObjectRef(m, "Record", (PyObject *)&RecordType) < 0 ||
        PyModule_AddObjectRef(m, "TupleRecord", (PyObject *)&TupleRecordType) < 0 ||
        PyModule_AddIntConstant(m, "FAST_LIMIT", FAST_LIMIT) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
