#include "sm2_fast.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t u64;
typedef unsigned __int128 u128;

typedef struct {
  u64 m[4];
  u64 m0;     /* -m^-1 mod 2^64 */
  sm2_fe one; /* R mod m (Montgomery 1) */
  sm2_fe r2;  /* R^2 mod m */
} modulus;

/* GB/T 32918.5 recommended curve, little-endian 64-bit limbs. */
static modulus P = {{0xFFFFFFFFFFFFFFFFULL, 0xFFFFFFFF00000000ULL, 0xFFFFFFFFFFFFFFFFULL, 0xFFFFFFFEFFFFFFFFULL}, 0, {{0}}, {{0}}};
static modulus N = {{0x53BBF40939D54123ULL, 0x7203DF6B21C6052BULL, 0xFFFFFFFFFFFFFFFFULL, 0xFFFFFFFEFFFFFFFFULL}, 0, {{0}}, {{0}}};
static const sm2_fe FE_ZERO = {{0, 0, 0, 0}};
static const sm2_fe CURVE_B = {{0xDDBCBD414D940E93ULL, 0xF39789F515AB8F92ULL, 0x4D5A9E4BCF6509A7ULL, 0x28E9FA9E9D9F5E34ULL}};
static const sm2_fe GX = {{0x715A4589334C74C7ULL, 0x8FE30BBFF2660BE1ULL, 0x5F9904466A39C994ULL, 0x32C4AE2C1F198119ULL}};
static const sm2_fe GY = {{0x02DF32E52139F0A0ULL, 0xD0A9877CC62A4740ULL, 0x59BDCEE36B692153ULL, 0xBC3736A2F4F6779CULL}};

typedef struct {
  sm2_fe X, Y, Z; /* Jacobian, Montgomery form; Z = 0 is the point at infinity */
} jacobian;

/* COMB[i][j] = j · 16^i · G (affine), j = 1..15; index 0 unused. 60 KiB, built once. */
static sm2_affine COMB[64][16];
static sm2_fe B_MONT;
static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_ok = 0;

/* ---- constant-time helpers ---- */

static inline u64 mask_if_nonzero(u64 x) { return (u64)0 - ((x | ((u64)0 - x)) >> 63); } /* all ones if x != 0 */

static inline void fe_cmov(sm2_fe *r, const sm2_fe *a, u64 mask) {
  for (int i = 0; i < 4; i++) r->v[i] = (r->v[i] & ~mask) | (a->v[i] & mask);
}

static inline u64 fe_is_zero_mask(const sm2_fe *a) { return ~mask_if_nonzero(a->v[0] | a->v[1] | a->v[2] | a->v[3]); }

static int fe_equal(const sm2_fe *a, const sm2_fe *b) {
  return ((a->v[0] ^ b->v[0]) | (a->v[1] ^ b->v[1]) | (a->v[2] ^ b->v[2]) | (a->v[3] ^ b->v[3])) == 0;
}

/* a < m for a plain 256-bit value; variable time, so public data only (points, r, s). */
static int fe_less_than(const sm2_fe *a, const u64 m[4]) {
  for (int i = 3; i >= 0; i--) {
    if (a->v[i] != m[i]) return a->v[i] < m[i];
  }
  return 0;
}

/* All ones if a < m, by the borrow of a - m: no early exit, for secret values (k, d). */
static u64 fe_less_than_mask(const sm2_fe *a, const u64 m[4]) {
  u128 borrow = 0;
  for (int i = 0; i < 4; i++) {
    u128 t = (u128)a->v[i] - m[i] - borrow;
    borrow = (t >> 64) & 1;
  }
  return (u64)0 - (u64)borrow;
}

static void fe_from_bytes(sm2_fe *r, const uint8_t b[32]) {
  for (int i = 0; i < 4; i++) {
    u64 w = 0;
    for (int j = 0; j < 8; j++) w = (w << 8) | b[(3 - i) * 8 + j];
    r->v[i] = w;
  }
}

static void fe_to_bytes(uint8_t b[32], const sm2_fe *a) {
  for (int i = 0; i < 4; i++) {
    for (int j = 0; j < 8; j++) b[(3 - i) * 8 + j] = (uint8_t)(a->v[i] >> (56 - 8 * j));
  }
}

/* ---- modular arithmetic (inputs and outputs fully reduced, < m) ---- */

static void mod_add(sm2_fe *r, const sm2_fe *a, const sm2_fe *b, const modulus *m) {
  u64 sum[4], diff[4];
  u128 c = 0;
  for (int i = 0; i < 4; i++) {
    c += (u128)a->v[i] + b->v[i];
    sum[i] = (u64)c;
    c >>= 64;
  }
  u64 carry = (u64)c;
  u128 borrow = 0;
  for (int i = 0; i < 4; i++) {
    u128 t = (u128)sum[i] - m->m[i] - borrow;
    diff[i] = (u64)t;
    borrow = (t >> 64) & 1;
  }
  /* Use sum - m when the sum overflowed 2^256 or is at least m. */
  u64 use_diff = (u64)0 - (carry | ((u64)borrow ^ 1));
  for (int i = 0; i < 4; i++) r->v[i] = (diff[i] & use_diff) | (sum[i] & ~use_diff);
}

static void mod_sub(sm2_fe *r, const sm2_fe *a, const sm2_fe *b, const modulus *m) {
  u64 diff[4];
  u128 borrow = 0;
  for (int i = 0; i < 4; i++) {
    u128 t = (u128)a->v[i] - b->v[i] - borrow;
    diff[i] = (u64)t;
    borrow = (t >> 64) & 1;
  }
  u64 mask = (u64)0 - (u64)borrow;
  u128 c = 0;
  for (int i = 0; i < 4; i++) {
    c += (u128)diff[i] + (m->m[i] & mask);
    r->v[i] = (u64)c;
    c >>= 64;
  }
}

/* Montgomery product a·b·2^-256 mod m (CIOS), constant time. */
static void mont_mul(sm2_fe *r, const sm2_fe *a, const sm2_fe *b, const modulus *m) {
  u64 t[6] = {0, 0, 0, 0, 0, 0};
  for (int i = 0; i < 4; i++) {
    u128 c = 0;
    for (int j = 0; j < 4; j++) {
      c += (u128)a->v[j] * b->v[i] + t[j];
      t[j] = (u64)c;
      c >>= 64;
    }
    c += t[4];
    t[4] = (u64)c;
    t[5] = (u64)(c >> 64);
    u64 q = t[0] * m->m0;
    c = (u128)q * m->m[0] + t[0];
    c >>= 64;
    for (int j = 1; j < 4; j++) {
      c += (u128)q * m->m[j] + t[j];
      t[j - 1] = (u64)c;
      c >>= 64;
    }
    c += t[4];
    t[3] = (u64)c;
    t[4] = t[5] + (u64)(c >> 64);
  }
  /* t < 2m: subtract m once if t >= m. */
  u64 diff[4];
  u128 borrow = 0;
  for (int i = 0; i < 4; i++) {
    u128 d = (u128)t[i] - m->m[i] - borrow;
    diff[i] = (u64)d;
    borrow = (d >> 64) & 1;
  }
  u64 use_diff = (u64)0 - (t[4] | ((u64)borrow ^ 1));
  for (int i = 0; i < 4; i++) r->v[i] = (diff[i] & use_diff) | (t[i] & ~use_diff);
}

static void to_mont(sm2_fe *r, const sm2_fe *a, const modulus *m) { mont_mul(r, a, &m->r2, m); }

static void from_mont(sm2_fe *r, const sm2_fe *a, const modulus *m) {
  static const sm2_fe ONE = {{1, 0, 0, 0}};
  mont_mul(r, a, &ONE, m);
}

/* a^(m-2) in the Montgomery domain: the inverse for prime m. The exponent is public, so this is constant time. */
static void mont_inv(sm2_fe *r, const sm2_fe *a, const modulus *m) {
  sm2_fe e = {{m->m[0] - 2, m->m[1], m->m[2], m->m[3]}}; /* m[0] >= 2 for both moduli */
  sm2_fe acc = m->one;
  for (int bit = 255; bit >= 0; bit--) {
    mont_mul(&acc, &acc, &acc, m);
    if ((e.v[bit / 64] >> (bit % 64)) & 1) mont_mul(&acc, &acc, a, m);
  }
  *r = acc;
}

static void modulus_init(modulus *m) {
  /* Newton's iteration for m^-1 mod 2^64, then negate. */
  u64 inv = m->m[0];
  for (int i = 0; i < 6; i++) inv *= 2 - m->m[0] * inv;
  m->m0 = (u64)0 - inv;
  /* R mod m = 2^256 - m (both moduli exceed 2^255), then R^2 = R doubled 256 times. */
  u128 borrow = 0;
  for (int i = 0; i < 4; i++) {
    u128 t = (u128)0 - m->m[i] - borrow;
    m->one.v[i] = (u64)t;
    borrow = (t >> 64) & 1;
  }
  sm2_fe acc = m->one;
  for (int i = 0; i < 256; i++) mod_add(&acc, &acc, &acc, m);
  m->r2 = acc;
}

#define FMUL(r, a, b) mont_mul((r), (a), (b), &P)
#define FSQR(r, a) mont_mul((r), (a), (a), &P)
#define FADD(r, a, b) mod_add((r), (a), (b), &P)
#define FSUB(r, a, b) mod_sub((r), (a), (b), &P)

/* ---- points (a = -3, so the fast doubling formula applies) ---- */

/* dbl-2001-b; doubling infinity (Z = 0) gives Z = 0. */
static void point_double(jacobian *r, const jacobian *p) {
  sm2_fe delta, gamma, beta, alpha, t1, t2, t3;
  FSQR(&delta, &p->Z);
  FSQR(&gamma, &p->Y);
  FMUL(&beta, &p->X, &gamma);
  FSUB(&t1, &p->X, &delta);
  FADD(&t2, &p->X, &delta);
  FMUL(&t3, &t1, &t2);
  FADD(&alpha, &t3, &t3);
  FADD(&alpha, &alpha, &t3);
  /* Z3 = (Y + Z)^2 - gamma - delta (before X, Y are overwritten when r == p) */
  FADD(&t1, &p->Y, &p->Z);
  FSQR(&t1, &t1);
  FSUB(&t1, &t1, &gamma);
  FSUB(&r->Z, &t1, &delta);
  /* X3 = alpha^2 - 8 beta */
  FADD(&t2, &beta, &beta);
  FADD(&t2, &t2, &t2); /* 4 beta */
  FSQR(&t1, &alpha);
  FSUB(&t1, &t1, &t2);
  FSUB(&r->X, &t1, &t2);
  /* Y3 = alpha (4 beta - X3) - 8 gamma^2 */
  FSUB(&t2, &t2, &r->X);
  FMUL(&t2, &alpha, &t2);
  FSQR(&t3, &gamma);
  FADD(&t3, &t3, &t3);
  FADD(&t3, &t3, &t3);
  FADD(&t3, &t3, &t3);
  FSUB(&r->Y, &t2, &t3);
}

/* madd-2007-bl: p (Jacobian, not infinity) + q (affine), valid when p != ±q. */
static void point_add_affine(jacobian *r, const jacobian *p, const sm2_affine *q) {
  sm2_fe z1z1, u2, s2, h, hh, i, j, rr, v, t;
  FSQR(&z1z1, &p->Z);
  FMUL(&u2, &q->x, &z1z1);
  FMUL(&s2, &q->y, &p->Z);
  FMUL(&s2, &s2, &z1z1);
  FSUB(&h, &u2, &p->X);
  FSQR(&hh, &h);
  FADD(&i, &hh, &hh);
  FADD(&i, &i, &i);
  FMUL(&j, &h, &i);
  FSUB(&rr, &s2, &p->Y);
  FADD(&rr, &rr, &rr);
  FMUL(&v, &p->X, &i);
  /* Z3 first: it reads p->Z. */
  FADD(&t, &p->Z, &h);
  FSQR(&t, &t);
  FSUB(&t, &t, &z1z1);
  sm2_fe z3;
  FSUB(&z3, &t, &hh);
  sm2_fe x3, y3;
  FSQR(&x3, &rr);
  FSUB(&x3, &x3, &j);
  FSUB(&x3, &x3, &v);
  FSUB(&x3, &x3, &v);
  FSUB(&t, &v, &x3);
  FMUL(&y3, &rr, &t);
  FMUL(&t, &p->Y, &j);
  FADD(&t, &t, &t);
  FSUB(&y3, &y3, &t);
  r->X = x3;
  r->Y = y3;
  r->Z = z3;
}

/* Variable-time complete addition of Jacobian points (public data only). */
static void point_add_vartime(jacobian *r, const jacobian *p, const jacobian *q) {
  if (fe_is_zero_mask(&p->Z)) {
    *r = *q;
    return;
  }
  if (fe_is_zero_mask(&q->Z)) {
    *r = *p;
    return;
  }
  sm2_fe z1z1, z2z2, u1, u2, s1, s2, h, i, j, rr, v, t;
  FSQR(&z1z1, &p->Z);
  FSQR(&z2z2, &q->Z);
  FMUL(&u1, &p->X, &z2z2);
  FMUL(&u2, &q->X, &z1z1);
  FMUL(&s1, &p->Y, &q->Z);
  FMUL(&s1, &s1, &z2z2);
  FMUL(&s2, &q->Y, &p->Z);
  FMUL(&s2, &s2, &z1z1);
  FSUB(&h, &u2, &u1);
  FSUB(&rr, &s2, &s1);
  if (fe_is_zero_mask(&h)) {
    if (fe_is_zero_mask(&rr)) {
      point_double(r, p);
    } else {
      memset(r, 0, sizeof *r);
    }
    return;
  }
  FADD(&rr, &rr, &rr);
  FADD(&i, &h, &h);
  FSQR(&i, &i);
  FMUL(&j, &h, &i);
  FMUL(&v, &u1, &i);
  sm2_fe x3, y3, z3;
  FSQR(&x3, &rr);
  FSUB(&x3, &x3, &j);
  FSUB(&x3, &x3, &v);
  FSUB(&x3, &x3, &v);
  FSUB(&t, &v, &x3);
  FMUL(&y3, &rr, &t);
  FMUL(&t, &s1, &j);
  FADD(&t, &t, &t);
  FSUB(&y3, &y3, &t);
  FADD(&t, &p->Z, &q->Z);
  FSQR(&t, &t);
  FSUB(&t, &t, &z1z1);
  FSUB(&t, &t, &z2z2);
  FMUL(&z3, &t, &h);
  r->X = x3;
  r->Y = y3;
  r->Z = z3;
}

/* Affine coordinates (Montgomery form) of a point that is not at infinity. */
static void point_to_affine(sm2_affine *r, const jacobian *p) {
  sm2_fe zinv, zinv2;
  mont_inv(&zinv, &p->Z, &P);
  FSQR(&zinv2, &zinv);
  FMUL(&r->x, &p->X, &zinv2);
  FMUL(&zinv2, &zinv2, &zinv);
  FMUL(&r->y, &p->Y, &zinv2);
}

static void point_from_affine(jacobian *r, const sm2_affine *a) {
  r->X = a->x;
  r->Y = a->y;
  r->Z = P.one;
}

/* ---- k·G by the comb ---- */

/*
 * table[i][j] = j · 16^i · point for j = 1..15 (table[i][0] unused), normalised to affine with one shared
 * inversion. No entry is infinity: every multiple j·16^i is below n.
 */
static int build_comb(sm2_affine (*table)[16], const sm2_affine *point) {
  enum { COUNT = 64 * 15 };
  jacobian *points = malloc(COUNT * sizeof *points);
  sm2_fe *prefix = malloc(COUNT * sizeof *prefix);
  if (points == NULL || prefix == NULL) {
    free(points);
    free(prefix);
    return 0;
  }
  jacobian base;
  point_from_affine(&base, point);
  for (int i = 0; i < 64; i++) {
    jacobian acc = base;
    points[i * 15] = base;
    for (int j = 2; j < 16; j++) {
      point_add_vartime(&acc, &acc, &base); /* complete: the first step is a doubling */
      points[i * 15 + j - 1] = acc;
    }
    for (int k = 0; k < 4; k++) point_double(&base, &base);
  }
  prefix[0] = points[0].Z;
  for (int i = 1; i < COUNT; i++) FMUL(&prefix[i], &prefix[i - 1], &points[i].Z);
  sm2_fe inv, zinv, zinv2;
  mont_inv(&inv, &prefix[COUNT - 1], &P);
  for (int i = COUNT - 1; i >= 0; i--) {
    if (i > 0) {
      FMUL(&zinv, &inv, &prefix[i - 1]);
      FMUL(&inv, &inv, &points[i].Z);
    } else {
      zinv = inv;
    }
    sm2_affine *out = &table[i / 15][i % 15 + 1];
    FSQR(&zinv2, &zinv);
    FMUL(&out->x, &points[i].X, &zinv2);
    FMUL(&zinv2, &zinv2, &zinv);
    FMUL(&out->y, &points[i].Y, &zinv2);
  }
  for (int i = 0; i < 64; i++) memset(&table[i][0], 0, sizeof table[i][0]);
  free(points);
  free(prefix);
  return 1;
}

static void init_tables(void) {
  modulus_init(&P);
  modulus_init(&N);
  to_mont(&B_MONT, &CURVE_B, &P);
  sm2_affine g;
  to_mont(&g.x, &GX, &P);
  to_mont(&g.y, &GY, &P);
  init_ok = build_comb(COMB, &g);
}

/* Σ table[i][digit_i(k)] for public k (direct indexing, skips zero digits); see base_mul_ct for why the
   incomplete mixed addition is safe for 0 < k < n. */
static void comb_mul_vartime(jacobian *r, const sm2_affine (*table)[16], const sm2_fe *k) {
  int started = 0;
  memset(r, 0, sizeof *r);
  for (int i = 0; i < 64; i++) {
    unsigned digit = (unsigned)((k->v[i / 16] >> (4 * (i % 16))) & 15);
    if (digit == 0) continue;
    if (!started) {
      point_from_affine(r, &table[i][digit]);
      started = 1;
    } else {
      point_add_affine(r, r, &table[i][digit]);
    }
  }
}

int sm2_fast_init(void) {
  pthread_once(&init_once, init_tables);
  return init_ok;
}

/*
 * k·G = Σ COMB[i][digit_i(k)]. Every table row is scanned in full and the additions are selected by masks,
 * so neither memory access nor control flow depends on k. For 0 < k < n the accumulator never equals ±the
 * point added (their scalars are a < 16^i <= b with a + b <= k < n), so the incomplete mixed addition is safe.
 */
static void base_mul_ct(jacobian *r, const sm2_fe *k) {
  jacobian acc;
  u64 acc_is_infinity = ~(u64)0;
  memset(&acc, 0, sizeof acc);
  for (int i = 0; i < 64; i++) {
    u64 digit = (k->v[i / 16] >> (4 * (i % 16))) & 15;
    sm2_affine t;
    memset(&t, 0, sizeof t);
    for (u64 j = 1; j < 16; j++) {
      u64 hit = ~mask_if_nonzero(j ^ digit);
      fe_cmov(&t.x, &COMB[i][j].x, hit);
      fe_cmov(&t.y, &COMB[i][j].y, hit);
    }
    u64 nonzero = mask_if_nonzero(digit);
    jacobian sum, lifted;
    point_add_affine(&sum, &acc, &t);
    point_from_affine(&lifted, &t);
    /* next = acc is infinity ? lifted : sum; then keep acc when the digit is 0 */
    fe_cmov(&sum.X, &lifted.X, acc_is_infinity);
    fe_cmov(&sum.Y, &lifted.Y, acc_is_infinity);
    fe_cmov(&sum.Z, &lifted.Z, acc_is_infinity);
    fe_cmov(&acc.X, &sum.X, nonzero);
    fe_cmov(&acc.Y, &sum.Y, nonzero);
    fe_cmov(&acc.Z, &sum.Z, nonzero);
    acc_is_infinity &= ~nonzero;
  }
  *r = acc;
}

int sm2_fast_base_mul(const uint8_t k_bytes[32], uint8_t out[65]) {
  sm2_fe k, x, y;
  jacobian r;
  sm2_affine a;
  if (!sm2_fast_init()) return 0;
  fe_from_bytes(&k, k_bytes);
  if (fe_is_zero_mask(&k) || !fe_less_than(&k, N.m)) return 0;
  base_mul_ct(&r, &k);
  point_to_affine(&a, &r);
  from_mont(&x, &a.x, &P);
  from_mont(&y, &a.y, &P);
  out[0] = 0x04;
  fe_to_bytes(out + 1, &x);
  fe_to_bytes(out + 33, &y);
  return 1;
}

/* ---- keys ---- */

int sm2_fast_verifier_init(sm2_fast_verifier *verifier, const uint8_t point[65]) {
  sm2_fe x, y, lhs, rhs, t;
  if (!sm2_fast_init() || point[0] != 0x04) return 0;
  fe_from_bytes(&x, point + 1);
  fe_from_bytes(&y, point + 33);
  if (!fe_less_than(&x, P.m) || !fe_less_than(&y, P.m)) return 0;
  sm2_affine a;
  to_mont(&a.x, &x, &P);
  to_mont(&a.y, &y, &P);
  /* y^2 = x^3 - 3x + b; the cofactor is 1, so on the curve and not infinity means in the group. */
  FSQR(&lhs, &a.y);
  FSQR(&rhs, &a.x);
  FMUL(&rhs, &rhs, &a.x);
  FADD(&t, &a.x, &a.x);
  FADD(&t, &t, &a.x);
  FSUB(&rhs, &rhs, &t);
  FADD(&rhs, &rhs, &B_MONT);
  if (!fe_equal(&lhs, &rhs)) return 0;

  /* Odd multiples P..15P, normalised to affine with one shared inversion (Montgomery's trick). */
  jacobian odd[8], twice;
  point_from_affine(&odd[0], &a);
  point_double(&twice, &odd[0]);
  for (int i = 1; i < 8; i++) point_add_vartime(&odd[i], &odd[i - 1], &twice);
  sm2_fe prefix[8], inv, zinv, zinv2;
  prefix[0] = odd[0].Z;
  for (int i = 1; i < 8; i++) FMUL(&prefix[i], &prefix[i - 1], &odd[i].Z);
  mont_inv(&inv, &prefix[7], &P);
  for (int i = 7; i >= 0; i--) {
    if (i > 0) {
      FMUL(&zinv, &inv, &prefix[i - 1]);
      FMUL(&inv, &inv, &odd[i].Z);
    } else {
      zinv = inv;
    }
    FSQR(&zinv2, &zinv);
    FMUL(&verifier->odd[i].x, &odd[i].X, &zinv2);
    FMUL(&zinv2, &zinv2, &zinv);
    FMUL(&verifier->odd[i].y, &odd[i].Y, &zinv2);
  }
  return 1;
}

int sm2_fast_signer_init(sm2_fast_signer *signer, const uint8_t d_bytes[32]) {
  sm2_fe one_plus_d, m;
  static const sm2_fe ONE = {{1, 0, 0, 0}};
  if (!sm2_fast_init()) return 0;
  fe_from_bytes(&signer->d, d_bytes);
  sm2_fe n_minus_1 = {{N.m[0] - 1, N.m[1], N.m[2], N.m[3]}};
  if (!(~fe_is_zero_mask(&signer->d) & fe_less_than_mask(&signer->d, n_minus_1.v))) return 0;
  mod_add(&one_plus_d, &signer->d, &ONE, &N);
  to_mont(&m, &one_plus_d, &N);
  mont_inv(&m, &m, &N);
  from_mont(&signer->dinv, &m, &N);
  OPENSSL_cleanse(&one_plus_d, sizeof one_plus_d);
  OPENSSL_cleanse(&m, sizeof m);
  return 1;
}

void sm2_fast_signer_clear(sm2_fast_signer *signer) { OPENSSL_cleanse(signer, sizeof *signer); }

void sm2_fast_verifier_clear(sm2_fast_verifier *verifier) {
  free(verifier->comb);
  verifier->comb = NULL;
}

/* a·b mod n for plain-form inputs: (a·R2·R^-1)·b·R^-1 = a·b. */
static void mul_mod_n(sm2_fe *r, const sm2_fe *a, const sm2_fe *b) {
  sm2_fe t;
  to_mont(&t, a, &N);
  mont_mul(r, &t, b, &N);
}

/* x mod n for x < 2^256 < 2n: one constant-time conditional subtraction. */
static void reduce_once_n(sm2_fe *r, const sm2_fe *x) {
  /* Adding 0 runs mod_add's masked "subtract n when the sum is at least n" on x alone. */
  mod_add(r, x, &FE_ZERO, &N);
}

int sm2_fast_sign_digest(const sm2_fast_signer *signer, const uint8_t e_bytes[32], uint8_t sig[64]) {
  sm2_fe e, k, x1, r, s, rd, t;
  uint8_t random[32];
  jacobian kg;
  sm2_affine a;
  int ok = 0;
  fe_from_bytes(&t, e_bytes);
  reduce_once_n(&e, &t);
  for (int attempt = 0; attempt < 64 && !ok; attempt++) {
    if (RAND_priv_bytes(random, sizeof random) != 1) break;
    fe_from_bytes(&k, random);
    /* Rejection sampling: k uniform in [1, n-1]; only the accept/reject outcome is visible. */
    if (!(~fe_is_zero_mask(&k) & fe_less_than_mask(&k, N.m))) continue;
    base_mul_ct(&kg, &k);
    point_to_affine(&a, &kg);
    from_mont(&t, &a.x, &P);
    reduce_once_n(&x1, &t);
    mod_add(&r, &e, &x1, &N);
    mod_add(&t, &r, &k, &N);
    if (fe_is_zero_mask(&r) || fe_is_zero_mask(&t)) continue; /* r = 0 or r + k = n */
    mul_mod_n(&rd, &r, &signer->d);
    mod_sub(&t, &k, &rd, &N);
    mul_mod_n(&s, &signer->dinv, &t);
    if (fe_is_zero_mask(&s)) continue;
    fe_to_bytes(sig, &r);
    fe_to_bytes(sig + 32, &s);
    ok = 1;
  }
  OPENSSL_cleanse(random, sizeof random);
  OPENSSL_cleanse(&k, sizeof k);
  OPENSSL_cleanse(&kg, sizeof kg);
  OPENSSL_cleanse(&rd, sizeof rd);
  OPENSSL_cleanse(&t, sizeof t);
  return ok;
}

/* Width-5 NAF of a 256-bit scalar: digits in {0, ±1, ±3, ..., ±15}; returns the digit count. */
static int wnaf5(int8_t naf[258], const sm2_fe *scalar) {
  u64 k[5] = {scalar->v[0], scalar->v[1], scalar->v[2], scalar->v[3], 0};
  int length = 0;
  while ((k[0] | k[1] | k[2] | k[3] | k[4]) != 0) {
    int digit = 0;
    if (k[0] & 1) {
      digit = (int)(k[0] & 31);
      if (digit >= 16) digit -= 32;
      /* k -= digit */
      if (digit > 0) {
        u128 borrow = (u64)digit;
        for (int i = 0; i < 5 && borrow; i++) {
          u128 t = (u128)k[i] - borrow;
          k[i] = (u64)t;
          borrow = (t >> 64) & 1;
        }
      } else {
        u128 carry = (u64)(-digit);
        for (int i = 0; i < 5 && carry; i++) {
          carry += k[i];
          k[i] = (u64)carry;
          carry >>= 64;
        }
      }
    }
    naf[length++] = (int8_t)digit;
    for (int i = 0; i < 4; i++) k[i] = (k[i] >> 1) | (k[i + 1] << 63);
    k[4] >>= 1;
  }
  return length;
}

int sm2_fast_verify_digest(sm2_fast_verifier *verifier, const uint8_t e_bytes[32], const uint8_t sig[64]) {
  sm2_fe r, s, t, e, x1;
  fe_from_bytes(&r, sig);
  fe_from_bytes(&s, sig + 32);
  if (fe_is_zero_mask(&r) || fe_is_zero_mask(&s) || !fe_less_than(&r, N.m) || !fe_less_than(&s, N.m)) return 0;
  mod_add(&t, &r, &s, &N);
  if (fe_is_zero_mask(&t)) return 0;

  /* s·G and t·P: s, t, G and P are all public, so the variable-time paths are fine here. */
  jacobian sg, tp;
  comb_mul_vartime(&sg, (const sm2_affine (*)[16])COMB, &s);

  if (verifier->comb == NULL && ++verifier->uses >= SM2_FAST_COMB_AFTER_USES) {
    sm2_affine (*table)[16] = malloc(64 * sizeof *table);
    if (table != NULL && build_comb(table, &verifier->odd[0])) {
      verifier->comb = table;
    } else {
      free(table); /* out of memory: stay on wNAF */
    }
  }
  if (verifier->comb != NULL) {
    comb_mul_vartime(&tp, (const sm2_affine (*)[16])verifier->comb, &t);
    goto combine;
  }

  /* t·P by wNAF over the key's odd multiples: variable time is fine, everything here is public. */
  int8_t naf[258];
  int length = wnaf5(naf, &t);
  memset(&tp, 0, sizeof tp);
  int started = 0;
  for (int i = length - 1; i >= 0; i--) {
    if (started) point_double(&tp, &tp);
    int digit = naf[i];
    if (digit == 0) continue;
    sm2_affine q = verifier->odd[(digit < 0 ? -digit : digit) >> 1];
    if (digit < 0) FSUB(&q.y, &FE_ZERO, &q.y);
    if (!started) {
      point_from_affine(&tp, &q);
      started = 1;
    } else {
      jacobian lifted;
      point_from_affine(&lifted, &q);
      point_add_vartime(&tp, &tp, &lifted); /* complete: an intermediate may equal ±q */
    }
  }

combine:;
  jacobian sum;
  point_add_vartime(&sum, &sg, &tp);
  if (fe_is_zero_mask(&sum.Z)) return 0;
  sm2_affine a;
  point_to_affine(&a, &sum);
  from_mont(&t, &a.x, &P);
  reduce_once_n(&x1, &t);
  fe_from_bytes(&t, e_bytes);
  reduce_once_n(&e, &t);
  mod_add(&t, &e, &x1, &N);
  return fe_equal(&t, &r);
}
