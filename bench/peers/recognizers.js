#!/usr/bin/env node
// The peer someone would otherwise reach for: Microsoft Recognizers-Text
// (Chinese culture) over the same reports reportpipe's extractor reads.
//
//   node recognizers.js --out=DIR [--min_ms=1000] [--per_recognizer] FILE.txt...
//
// For each FILE it writes DIR/NAME.jsonl in the fields
// /work/shared/tools/score_extract.py reads (value, unit, start, end in UTF-8
// bytes), so the peer and reportpipe are scored by the same scorer, and it
// prints one JSON line per file with the time per report. The last line is
// the mean over the files.
//
// How the peer's output becomes metrics (the recognizers know numbers, not
// metrics, so something has to be decided; each choice leans towards the
// peer):
//   - percentages (recognizePercentage) are `%`, or `pp` when the matched
//     text says 百分点 (the recognizer itself reads 1.2个百分点 as 1.2%);
//   - dimensions (recognizeDimension) keep the unit the recognizer names;
//   - a plain number (recognizeNumber) takes the measure word written right
//     after it (件, 次, 人次 …, see kMeasureWords; 余/多 may stand between;
//     万元/亿元 become 元), since the recognizer gives none. A number with no measure word is not
//     a metric and is dropped, as is a number inside a date or time that
//     the peer's own DateTime recognizer finds (2023年, 3月20日);
//   - a number inside a percentage or dimension match is dropped: the
//     larger match already stands for it.
// recognizeCurrency is left out: on these 7-9 KB reports it takes about 2 s
// a report (the others together about 0.5 s), and 万元/亿元 after a number
// already give money in 元. --per_recognizer prints each one's time.
// The peer has no indicator labels, so label accuracy is n/a.
'use strict';

const fs = require('fs');
const path = require('path');
const R = require('@microsoft/recognizers-text-suite');

const kCulture = R.Culture.Chinese;

// Common Chinese measure words in these reports, longest first so that 人次
// wins over 人 and 场次 over 场. A generic list, not read from the gold files.
const kMeasureWords = [
  '个工作日', '工作日', '个百分点', '百分点', '人次', '场次', '万元', '亿元',
  '件', '项', '个', '次', '名', '份', '卷', '起', '家', '人', '年', '场', '期',
  '条', '元', '宗', '天', '户', '所', '部', '篇', '套', '批', '处', '台', '辆',
  '位', '支', '类', '本', '册', '种', '轮', '批次', '家次', '余人', '小时', '分钟',
].sort((a, b) => b.length - a.length);

function parseArgs(argv) {
  const args = { out: null, minMs: 1000, perRecognizer: false, files: [] };
  for (const a of argv) {
    if (a.startsWith('--out=')) args.out = a.slice(6);
    else if (a === '--per_recognizer') args.perRecognizer = true;
    else if (a.startsWith('--min_ms=')) args.minMs = Number(a.slice(9));
    else args.files.push(a);
  }
  if (!args.out || args.files.length === 0) {
    console.error('usage: node recognizers.js --out=DIR [--min_ms=N] [--per_recognizer] FILE.txt...');
    process.exit(2);
  }
  return args;
}

// UTF-8 byte offset of every UTF-16 index of `text` (and of its end): the
// recognizers index JavaScript strings, the gold files index bytes.
function byteOffsets(text) {
  const offsets = new Array(text.length + 1);
  let bytes = 0;
  for (let i = 0; i < text.length; ++i) {
    offsets[i] = bytes;
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) bytes += 4;  // a surrogate pair: 4 bytes for both
    else if (c >= 0xdc00 && c <= 0xdfff) bytes += 0;
    else bytes += 3;
  }
  offsets[text.length] = bytes;
  return offsets;
}

// The recognizers used, by the name of their result. DateTime only finds
// dates, so that a year or a day is not read as a count.
const kRecognizers = {
  numbers: R.recognizeNumber,
  percentages: R.recognizePercentage,
  dimensions: R.recognizeDimension,
  dates: R.recognizeDateTime,
};

// What the peer finds in one report, before any mapping: the raw calls,
// the part that is timed.
function recognize(text) {
  const found = {};
  for (const [name, fn] of Object.entries(kRecognizers)) found[name] = fn(text, kCulture);
  return found;
}

function inside(m, spans) {
  // Recognizer matches carry inclusive ends.
  return spans.some(([s, e]) => m.start >= s && m.end <= e);
}

function measureWordAfter(text, end) {
  let i = end + 1;
  if (text[i] === '余' || text[i] === '多') ++i;
  for (const w of kMeasureWords) {
    if (text.startsWith(w, i)) return { word: w, end: i + w.length - 1 };
  }
  return null;
}

function toMetrics(text, found) {
  const offsets = byteOffsets(text);
  const metrics = [];
  const covered = [];
  const emit = (m, value, unit, end) => {
    if (!Number.isFinite(value)) return;
    metrics.push({
      value, unit,
      start: offsets[m.start], end: offsets[(end === undefined ? m.end : end) + 1],
      indicator: '', qualifier: 'EXACT', kind: 'VALUE', text: m.text,
    });
  };
  for (const m of found.percentages) {
    covered.push([m.start, m.end]);
    const unit = m.text.includes('百分点') ? 'pp' : '%';
    emit(m, parseFloat(m.resolution.value), unit);
  }
  for (const m of found.dimensions) {
    covered.push([m.start, m.end]);
    if (m.resolution) emit(m, parseFloat(m.resolution.value), m.resolution.unit || '');
  }
  const dates = found.dates.map((m) => [m.start, m.end]);
  for (const m of found.numbers) {
    if (inside(m, covered) || inside(m, dates)) continue;
    const measure = measureWordAfter(text, m.end);
    if (measure === null) continue;
    let unit = measure.word;
    let value = parseFloat(m.resolution.value);
    if (unit === '万元') { unit = '元'; value *= 1e4; }
    if (unit === '亿元') { unit = '元'; value *= 1e8; }
    if (unit === '个百分点' || unit === '百分点') unit = 'pp';
    if (unit === '个工作日') unit = '工作日';
    emit(m, value, unit, measure.end);
  }
  return metrics;
}

function timeReport(text, minMs) {
  // The first call compiles the recognizers' patterns: timed apart.
  const t0 = process.hrtime.bigint();
  recognize(text);
  const firstMs = Number(process.hrtime.bigint() - t0) / 1e6;
  let runs = 0;
  const start = process.hrtime.bigint();
  let elapsedMs = 0;
  // Bounded: at least 3 runs, at most 1000.
  while ((elapsedMs < minMs || runs < 3) && runs < 1000) {
    recognize(text);
    ++runs;
    elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
  }
  return { firstMs, msPerReport: elapsedMs / runs, runs };
}

// Each recognizer's own time on `text` (ms, the mean of 3 runs after one
// warm-up), the unused Currency one included.
function perRecognizer(text) {
  const all = Object.assign({ currencies: R.recognizeCurrency }, kRecognizers);
  const out = {};
  for (const [name, fn] of Object.entries(all)) {
    fn(text, kCulture);
    const start = process.hrtime.bigint();
    for (let i = 0; i < 3; ++i) fn(text, kCulture);
    out[name] = +(Number(process.hrtime.bigint() - start) / 3e6).toFixed(1);
  }
  return out;
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  fs.mkdirSync(args.out, { recursive: true });
  let totalMs = 0;
  let totalBytes = 0;
  for (const file of args.files) {
    const text = fs.readFileSync(file, 'utf8');
    const metrics = toMetrics(text, recognize(text));
    const name = path.basename(file, '.txt');
    fs.writeFileSync(path.join(args.out, `${name}.jsonl`),
                     metrics.map((m) => JSON.stringify(m)).join('\n') + '\n');
    const t = timeReport(text, args.minMs);
    const bytes = Buffer.byteLength(text, 'utf8');
    totalMs += t.msPerReport;
    totalBytes += bytes;
    console.log(JSON.stringify({
      report: name, bytes, metrics: metrics.length,
      ms_per_report: +t.msPerReport.toFixed(3), first_call_ms: +t.firstMs.toFixed(1),
      runs: t.runs,
      per_recognizer_ms: args.perRecognizer ? perRecognizer(text) : undefined,
    }));
  }
  const n = args.files.length;
  console.log(JSON.stringify({
    report: 'mean', reports: n, ms_per_report: +(totalMs / n).toFixed(3),
    mb_s: +((totalBytes / 1e6) / (totalMs / 1e3)).toFixed(3),
  }));
}

main();
