// Output discipline shared by the peer scripts.
//
// node-opcua prints its warnings with console.log, i.e. on stdout (on Node 20 every process
// prints "[NODE-OPCUA-W27] ... --security-revert=CVE-2023-46809" at start-up). The scripts'
// stdout is a protocol read by the C# tests (a READY line, JSON documents, JSON lines), so this
// module, imported before node-opcua, sends every console method to stderr. The scripts write
// their protocol output with writeLine/writeJson only.

import { parseArgs } from "node:util";

const toStderr = console.error.bind(console);
console.log = toStderr;
console.info = toStderr;
console.debug = toStderr;
console.warn = toStderr;
console.trace = toStderr;

/** Writes one line to stdout (synchronous for files and pipes on Linux). */
export function writeLine(text) {
    process.stdout.write(`${text}\n`);
}

/** Writes one JSON document on a single line to stdout. */
export function writeJson(value) {
    writeLine(JSON.stringify(value));
}

/** An error whose message is meant for the user as is, with the process exit code to use. */
export class CliError extends Error {
    constructor(message, exitCode = 1) {
        super(message);
        this.exitCode = exitCode;
    }
}

/** Exit codes used by all scripts. */
export const ExitCode = Object.freeze({ ok: 0, failure: 1, usage: 2, timeout: 3 });

/** Short text for any thrown value: the message, plus the cause's message when there is one. */
export function describeError(err) {
    if (!(err instanceof Error)) {
        return String(err);
    }
    const cause = err.cause instanceof Error ? ` (cause: ${err.cause.message})` : "";
    return `${err.message || err.name}${cause}`;
}

/**
 * util.parseArgs (strict, positionals allowed) that also accepts negative numbers as values
 * ("write ns=1;s=X Int32 -5", "--sampling -1"), which parseArgs alone takes for options.
 * Usage errors become CliError(usage).
 */
export function parseArguments(argv, options) {
    const marker = "\u0000";
    const unhide = (text) => (typeof text === "string" && text.startsWith(marker) ? text.slice(1) : text);
    try {
        const { values, positionals } = parseArgs({
            args: argv.map((arg) => (/^-(\d|\.\d|Infinity)/.test(arg) ? marker + arg : arg)),
            options,
            strict: true,
            allowPositionals: true
        });
        for (const key of Object.keys(values)) {
            values[key] = unhide(values[key]);
        }
        return { values, positionals: positionals.map(unhide) };
    } catch (err) {
        throw new CliError(err.message, ExitCode.usage);
    }
}
