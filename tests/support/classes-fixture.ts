/** What `fixtures/classes` prints (out/main.js) when every class spec ships its implementation. */
export const CLASSES_RUN = {
  lru: ['a', 'c'], evicted: ['b'], added: ['x=1'], takes: [true, false, true], sum: 'EUR 1,001.00',
  split: ['EUR 333.67', 'EUR 333.67', 'EUR 333.66'], mismatch: 'currency mismatch: USD vs EUR', door: ['closed', 'open', 'closed'],
};
