// Assertions older test files still call that today's testharness.js no longer has (limits.any.js uses
// assert_throws, promise_rejects and mjsunit's assertEquals): defined in the realm, each as its successor,
// only where the harness lacks the name. Our own code, not the harness's.
export const LEGACY_ASSERTIONS = `
(() => {
  // The old forms take an error object (new TypeError()) or a constructor: the successors want the constructor.
  const ctorOf = (e) => (typeof e === 'function' ? e : e && e.constructor);
  if (typeof assert_throws === 'undefined') {
    globalThis.assert_throws = function (code, func, description) {
      return assert_throws_js(ctorOf(code), func, description);
    };
  }
  if (typeof promise_rejects === 'undefined') {
    globalThis.promise_rejects = function (test, code, promise, description) {
      return promise_rejects_js(test, ctorOf(code), promise, description);
    };
  }
  if (typeof assertEquals === 'undefined') {
    globalThis.assertEquals = function (expected, actual, description) {
      assert_equals(actual, expected, description);
    };
  }
})();
`;
