// sql.js: SQLite compiled to wasm with emscripten. A run creates an in-memory database, inserts
// `size` orders (and size/10 customers) with prepared statements in transactions of 50,000 rows,
// builds an index and runs aggregate, join, LIKE and ORDER BY queries; their results, as JSON, are
// the output.
import { createRequire } from 'node:module';
import { prng } from './text.js';
import type { LoadedProgram, ProgramWorkload } from './workload.js';

type SqlValue = number | string | Uint8Array | null;
interface Statement {
  run(values: SqlValue[]): void;
  free(): void;
}
interface Database {
  run(sql: string): void;
  prepare(sql: string): Statement;
  exec(sql: string): { columns: string[]; values: SqlValue[][] }[];
  close(): void;
}
type InitSqlJs = () => Promise<{ Database: new () => Database }>;

const QUERIES = [
  'SELECT c.region, count(*), sum(o.amount), avg(o.qty) FROM orders o JOIN customers c ON c.id = o.customer GROUP BY c.region ORDER BY c.region',
  'SELECT customer, sum(amount * qty) AS s FROM orders GROUP BY customer ORDER BY s DESC, customer LIMIT 20',
  'SELECT note, count(*), max(amount), min(amount), total(qty) FROM orders GROUP BY note ORDER BY note LIMIT 50',
  "SELECT count(*), sum(amount) FROM orders WHERE note LIKE 'n9%' AND amount > 500",
  'SELECT c.name, count(*) FROM customers c JOIN orders o ON o.customer = c.id WHERE c.region < 3 GROUP BY c.id ORDER BY 2 DESC, 1 LIMIT 10',
  'SELECT o.qty, count(DISTINCT o.customer), round(avg(o.amount), 4) FROM orders o WHERE o.id % 7 = 3 GROUP BY o.qty ORDER BY o.qty',
];

function workload(SQL: { Database: new () => Database }, size: number): Uint8Array {
  const next = prng(42);
  const customers = Math.max(1, Math.floor(size / 10));
  const db = new SQL.Database();
  try {
    db.run('CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT, region INTEGER)');
    db.run('CREATE TABLE orders (id INTEGER PRIMARY KEY, customer INTEGER, amount REAL, qty INTEGER, note TEXT)');
    db.run('BEGIN');
    const addCustomer = db.prepare('INSERT INTO customers VALUES (?, ?, ?)');
    for (let i = 0; i < customers; i++) addCustomer.run([i, `cust${Math.floor(next() * 1e6)}`, Math.floor(next() * 20)]);
    addCustomer.free();
    const addOrder = db.prepare('INSERT INTO orders VALUES (?, ?, ?, ?, ?)');
    for (let i = 0; i < size; i++) {
      addOrder.run([i, Math.floor(next() * customers), Math.round(next() * 100000) / 100, 1 + Math.floor(next() * 9), `n${i % 977}`]);
      if (i % 50_000 === 49_999) {
        db.run('COMMIT');
        db.run('BEGIN');
      }
    }
    addOrder.free();
    db.run('COMMIT');
    db.run('CREATE INDEX orders_customer ON orders (customer)');
    const results = QUERIES.map((q) => db.exec(q));
    return new TextEncoder().encode(JSON.stringify(results));
  } finally {
    db.close();
  }
}

export const sqlite: ProgramWorkload = {
  name: 'sqlite',
  npmPackage: 'sql.js',
  version: '1.16.0',
  origin: 'C (SQLite), emscripten',
  description: 'insert N orders and N/10 customers in transactions, index, 6 aggregate/join queries',
  sizeUnit: 'rows',
  benchSize: 200_000,
  testSize: 3_000,
  // dist/sql-wasm.js, the package's main, fetches the file of that name beside itself.
  wasmFile: () => createRequire(import.meta.url).resolve('sql.js/dist/sql-wasm.wasm'),
  async load(): Promise<LoadedProgram> {
    const initSqlJs = createRequire(import.meta.url)('sql.js') as InitSqlJs;
    const SQL = await initSqlJs();
    return { run: async (size) => workload(SQL, size) };
  },
};
