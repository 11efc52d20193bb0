/**
 * Unit tests for the RESP reply encoder (src/protocol/writer.ts): every ReplyWriter method in
 * RESP2 and RESP3, buffer growth and hand-off, and double formatting against C's
 * printf("%.17g") (the tables below were generated with Python's '%.17g' % x, which calls the C
 * library's formatter).
 */

import { describe, expect, test } from 'vitest';
import { ReplyWriter, formatDouble, formatG17 } from '../../src/protocol/writer.ts';

type Proto = 2 | 3;

/** Encodes with a fresh writer in the given dialect and returns the bytes as a latin1 string. */
function enc(resp: Proto, f: (w: ReplyWriter) => void): string {
  const w = new ReplyWriter();
  w.resp = resp;
  f(w);
  return w.take().toString('latin1');
}

const ALL_BYTES = String.fromCharCode(...Array.from({ length: 256 }, (_, i) => i));

describe('encodings in RESP2 and RESP3', () => {
  // [title, encode, RESP2 bytes, RESP3 bytes]
  const cases: Array<[string, (w: ReplyWriter) => void, string, string]> = [
    ['ok', (w) => w.ok(), '+OK\r\n', '+OK\r\n'],
    ['simple', (w) => w.simple('PONG'), '+PONG\r\n', '+PONG\r\n'],
    ['simple empty', (w) => w.simple(''), '+\r\n', '+\r\n'],
    ['error', (w) => w.error('ERR syntax error'), '-ERR syntax error\r\n', '-ERR syntax error\r\n'],
    ['error with CR/LF becomes spaces', (w) => w.error("ERR Protocol error: expected '$', got '\n'\r"),
      "-ERR Protocol error: expected '$', got ' ' \r\n", "-ERR Protocol error: expected '$', got ' ' \r\n"],
    ['int 0', (w) => w.int(0), ':0\r\n', ':0\r\n'],
    ['int 1023 (cached)', (w) => w.int(1023), ':1023\r\n', ':1023\r\n'],
    ['int 1024', (w) => w.int(1024), ':1024\r\n', ':1024\r\n'],
    ['int -1', (w) => w.int(-1), ':-1\r\n', ':-1\r\n'],
    ['int 2^53-1', (w) => w.int(9007199254740991), ':9007199254740991\r\n', ':9007199254740991\r\n'],
    ['int LLONG_MAX as bigint', (w) => w.int(9223372036854775807n), ':9223372036854775807\r\n', ':9223372036854775807\r\n'],
    ['int LLONG_MIN as bigint', (w) => w.int(-9223372036854775808n), ':-9223372036854775808\r\n', ':-9223372036854775808\r\n'],
    ['bulk', (w) => w.bulk('hello'), '$5\r\nhello\r\n', '$5\r\nhello\r\n'],
    ['bulk empty', (w) => w.bulk(''), '$0\r\n\r\n', '$0\r\n\r\n'],
    ['bulk with CRLF inside', (w) => w.bulk('a\r\nb'), '$4\r\na\r\nb\r\n', '$4\r\na\r\nb\r\n'],
    ['bulk of all 256 byte values', (w) => w.bulk(ALL_BYTES), `$256\r\n${ALL_BYTES}\r\n`, `$256\r\n${ALL_BYTES}\r\n`],
    ['bulkOrNull with a value', (w) => w.bulkOrNull('v'), '$1\r\nv\r\n', '$1\r\nv\r\n'],
    ['bulkOrNull null', (w) => w.bulkOrNull(null), '$-1\r\n', '_\r\n'],
    ['bulkOrNull undefined', (w) => w.bulkOrNull(undefined), '$-1\r\n', '_\r\n'],
    ['bulkOrNull empty string is not null', (w) => w.bulkOrNull(''), '$0\r\n\r\n', '$0\r\n\r\n'],
    ['nullBulk', (w) => w.nullBulk(), '$-1\r\n', '_\r\n'],
    ['nullArray', (w) => w.nullArray(), '*-1\r\n', '_\r\n'],
    ['arrayLen 0', (w) => w.arrayLen(0), '*0\r\n', '*0\r\n'],
    ['arrayLen 3 with items', (w) => { w.arrayLen(3); w.int(1); w.bulk('x'); w.nullBulk(); }, '*3\r\n:1\r\n$1\r\nx\r\n$-1\r\n', '*3\r\n:1\r\n$1\r\nx\r\n_\r\n'],
    ['arrayLen 5000', (w) => w.arrayLen(5000), '*5000\r\n', '*5000\r\n'],
    ['mapLen', (w) => { w.mapLen(2); w.bulk('a'); w.int(1); w.bulk('b'); w.int(2); }, '*4\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n:2\r\n', '%2\r\n$1\r\na\r\n:1\r\n$1\r\nb\r\n:2\r\n'],
    ['mapLen 0', (w) => w.mapLen(0), '*0\r\n', '%0\r\n'],
    ['mapLen 600 (a flat array of 1200 in RESP2)', (w) => w.mapLen(600), '*1200\r\n', '%600\r\n'],
    ['setLen', (w) => w.setLen(2), '*2\r\n', '~2\r\n'],
    ['pushLen', (w) => w.pushLen(3), '*3\r\n', '>3\r\n'],
    ['double', (w) => w.double(1.5), '$3\r\n1.5\r\n', ',1.5\r\n'],
    ['double 0.1', (w) => w.double(0.1), '$19\r\n0.10000000000000001\r\n', ',0.10000000000000001\r\n'],
    ['double integral', (w) => w.double(3), '$1\r\n3\r\n', ',3\r\n'],
    ['double -0', (w) => w.double(-0), '$2\r\n-0\r\n', ',-0\r\n'],
    ['double inf', (w) => w.double(Infinity), '$3\r\ninf\r\n', ',inf\r\n'],
    ['double -inf', (w) => w.double(-Infinity), '$4\r\n-inf\r\n', ',-inf\r\n'],
    ['double nan', (w) => w.double(NaN), '$3\r\nnan\r\n', ',nan\r\n'],
    ['bool true', (w) => w.bool(true), ':1\r\n', '#t\r\n'],
    ['bool false', (w) => w.bool(false), ':0\r\n', '#f\r\n'],
    ['verbatim', (w) => w.verbatim('# Server\r\nx:1\r\n'), '$15\r\n# Server\r\nx:1\r\n\r\n', '=19\r\ntxt:# Server\r\nx:1\r\n\r\n'],
    ['verbatim empty', (w) => w.verbatim(''), '$0\r\n\r\n', '=4\r\ntxt:\r\n'],
    ['raw', (w) => w.raw('+anything\r\n'), '+anything\r\n', '+anything\r\n'],
    ['bytes', (w) => w.bytes(Buffer.from([0x2b, 0xff, 0x00, 0x0d, 0x0a])), '+\xff\0\r\n', '+\xff\0\r\n'],
  ];
  for (const [title, f, resp2, resp3] of cases) {
    test(title, () => {
      expect(enc(2, f)).toBe(resp2);
      expect(enc(3, f)).toBe(resp3);
    });
  }

  test('bulk lengths around the cached header sizes', () => {
    for (const n of [1022, 1023, 1024, 1025, 9999, 10000]) {
      const s = 'z'.repeat(n);
      expect(enc(2, (w) => w.bulk(s))).toBe(`$${n}\r\n${s}\r\n`);
    }
  });

  test('every small int and array header matches the generic form', () => {
    for (let i = 0; i < 1100; i++) {
      expect(enc(2, (w) => w.int(i))).toBe(`:${i}\r\n`);
      expect(enc(2, (w) => w.arrayLen(i))).toBe(`*${i}\r\n`);
    }
  });

  test('switching resp between replies changes only the later replies', () => {
    const w = new ReplyWriter();
    w.resp = 2;
    w.nullBulk();
    w.resp = 3;
    w.nullBulk();
    w.resp = 2;
    w.bool(true);
    expect(w.take().toString('latin1')).toBe('$-1\r\n_\r\n:1\r\n');
  });
});

describe('buffer growth and hand-off', () => {
  test('replies far larger than the initial buffer, one after another', () => {
    const w = new ReplyWriter();
    const big = Buffer.alloc(3 * 1024 * 1024);
    for (let i = 0; i < big.length; i++) big[i] = (i * 7) & 0xff;
    const bigStr = big.toString('latin1');
    w.bulk('a');
    w.bulk(bigStr);
    w.int(7);
    const out = w.take();
    const head = `$1\r\na\r\n$${big.length}\r\n`;
    expect(out.length).toBe(head.length + big.length + 2 + 4);
    expect(out.subarray(0, head.length).toString('latin1')).toBe(head);
    expect(out.subarray(head.length, head.length + big.length).equals(big)).toBe(true);
    expect(out.subarray(head.length + big.length).toString('latin1')).toBe('\r\n:7\r\n');
    // The writer is empty and usable again.
    expect(w.len).toBe(0);
    w.ok();
    expect(w.take().toString('latin1')).toBe('+OK\r\n');
  });

  test('many small replies crossing the growth points', () => {
    const w = new ReplyWriter();
    let expected = '';
    for (let i = 0; i < 20000; i++) {
      w.bulk(`value-${i}`);
      expected += `$${`value-${i}`.length}\r\nvalue-${i}\r\n`;
    }
    expect(w.take().toString('latin1')).toBe(expected);
  });

  test('take() hands out an independent copy', () => {
    const w = new ReplyWriter();
    w.simple('first');
    const a = w.take();
    w.simple('other');
    const b = w.take();
    expect(a.toString('latin1')).toBe('+first\r\n');
    expect(b.toString('latin1')).toBe('+other\r\n');
    expect(w.take().length).toBe(0);
  });

  test('mark() and truncate() drop what was written since the mark', () => {
    const w = new ReplyWriter();
    w.ok();
    const m = w.mark();
    w.arrayLen(2);
    w.bulk('x'.repeat(100_000));
    w.int(1);
    w.truncate(m);
    w.int(2);
    expect(w.take().toString('latin1')).toBe('+OK\r\n:2\r\n');
  });

  test('takeFrom() returns the bytes since a point and leaves the rest', () => {
    const w = new ReplyWriter();
    w.ok();
    const m = w.mark();
    w.arrayLen(1);
    w.bulk('q');
    const tail = w.takeFrom(m);
    expect(tail.toString('latin1')).toBe('*1\r\n$1\r\nq\r\n');
    w.int(5);
    expect(w.take().toString('latin1')).toBe('+OK\r\n:5\r\n');
  });
});

describe('formatG17 matches C printf("%.17g")', () => {
  const known: Array<[number, string]> = [
    [0.1, '0.10000000000000001'],
    [1.1, '1.1000000000000001'],
    [1e17, '1e+17'],
    [1e16, '10000000000000000'],
    [123456789012345678, '1.2345678901234568e+17'],
    [1e-5, '1.0000000000000001e-05'],
    [0.0001, '0.0001'],
    [-0.0001, '-0.0001'],
    [-0, '-0'],
    [0, '0'],
    [3.0, '3'],
    [-2.5, '-2.5'],
    [100, '100'],
    [255, '255'],
    [0.5, '0.5'],
    [1.5e300, '1.5000000000000001e+300'],
    [5e-324, '4.9406564584124654e-324'],
    [2 ** 53, '9007199254740992'],
    [2 ** 53 + 2, '9007199254740994'],
    [1 / 3, '0.33333333333333331'],
    [2 / 3, '0.66666666666666663'],
    [0.30000000000000004, '0.30000000000000004'],
    [9.999999999999998e16, '99999999999999984'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [2.2250738585072014e-308, '2.2250738585072014e-308'],
    [-1e-300, '-1e-300'],
    [1e21, '1e+21'],
    [1e100, '1e+100'],
    [12345.678, '12345.678'],
    [3.14159, '3.1415899999999999'],
    [1.23e-18, '1.23e-18'],
    [1e-7, '9.9999999999999995e-08'],
    [4.35, '4.3499999999999996'],
    // Neighbours of powers of ten, where the exponent form starts or stops.
    [9.999999999999999e-5, '9.9999999999999991e-05'],
    [0.00010000000000000002, '0.00010000000000000002'],
    [1.0000000000000002e17, '1.0000000000000002e+17'],
    [9999999999999998, '9999999999999998'],
    [1.0000000000000002e16, '10000000000000002'],
    [9.999999999999999e-6, '9.9999999999999991e-06'],
    [0.9999999999999999, '0.99999999999999989'],
    [1.0000000000000002, '1.0000000000000002'],
    [9.999999999999998, '9.9999999999999982'],
    [999999999999999.9, '999999999999999.88'],
    [1000000000000000.1, '1000000000000000.1'],
  ];
  for (const [x, s] of known) {
    test(`${x} -> ${s}`, () => {
      expect(formatG17(x)).toBe(s);
      expect(formatDouble(x)).toBe(s);
    });
  }

  test('inf, -inf and nan (formatDouble)', () => {
    expect(formatDouble(Infinity)).toBe('inf');
    expect(formatDouble(-Infinity)).toBe('-inf');
    expect(formatDouble(NaN)).toBe('nan');
  });

  // [IEEE-754 bits, '%.17g'] for seeded random bit patterns and random decimals.
  const random: Array<[string, string]> = [
  ['749882321e35049e', '4.4921522480196427e+253'],
  ['79c8c2926b94b5b5', '4.3891201127700939e+278'],
  ['4242aadbc8f429a4', '160351883752.32532'],
  ['eb7a79959588532d', '-5.4399131119142674e+209'],
  ['3cf3bd58da60fb1c', '4.383079907872608e-15'],
  ['515c61236c88c537', '8.6143544424677373e+83'],
  ['f4b1b64633be40f5', '-1.2985664392816573e+254'],
  ['88718c966f3d88f7', '-5.3149656230064081e-268'],
  ['da1b195060c40eb7', '-1.146488202889241e+126'],
  ['5b08acc213a5bf07', '3.4207585513780429e+130'],
  ['6a5d670af9a3638e', '2.3046315439163635e+204'],
  ['4a894db7e48f12b9', '1.1833994934170815e+51'],
  ['dabe22cad37b17c6', '-1.3055768296735293e+129'],
  ['82b9bfbc91ba7257', '-1.5748679552677205e-295'],
  ['0cf197f45625871b', '2.5162719647728899e-246'],
  ['a5240b6020d0b29c', '-9.0366135173764973e-130'],
  ['b4a3165de1ab3e01', '-3.8922156519607219e-55'],
  ['400cb70f964e03c0', '3.5893851988371068'],
  ['e683acdf2060d7c4', '-6.6881846630544277e+185'],
  ['83d8e92df2adcc0e', '-3.9940441713763328e-290'],
  ['4f3d9a4de6cf02bb', '5.2303534038858595e+73'],
  ['b039ee169646a718', '-2.2393612829078969e-76'],
  ['135ab03d8de49eb1', '1.9354693131874806e-215'],
  ['e085b021e0d44f2b', '-9.3052404968026823e+156'],
  ['a6a86bd5a7550d23', '-1.8471377613108987e-122'],
  ['428474c15e9ecba7', '2811461620697.4565'],
  ['69d6bd800bc49874', '6.962609881020059e+201'],
  ['94a2de50ff542939', '-2.8696480509335243e-209'],
  ['dcb25c12903c3ad2', '-3.4161947097042303e+138'],
  ['764ae4d4359e9d02', '6.616060051749092e+261'],
  ['959ba1690ce64264', '-1.3769933585597693e-204'],
  ['79fdda8fd41f125b', '4.2336503662127315e+279'],
  ['4e5ac63a43514e2e', '2.8873376603503331e+69'],
  ['167dd41a347a2e47', '2.4355366694702615e-200'],
  ['23263c49440a9a11', '2.3339888564043163e-139'],
  ['a30354ef398bdedf', '-5.0729871591606244e-140'],
  ['98f01733d942b204', '-1.4445610598756709e-188'],
  ['67c8765c57810ce8', '8.7193752644190091e+191'],
  ['0df2d1aff1067dbd', '1.7639331668509974e-241'],
  ['a37f115c6a44f3cc', '-1.0435487072953564e-137'],
  ['4a7ce6e5f89c8d33', '6.7584387600518199e+50'],
  ['a22fa1f725601b2f', '-5.066499894016898e-144'],
  ['1b39320448410fe3', '1.5544023441874205e-177'],
  ['5043796d40618823', '4.5099451617177234e+78'],
  ['c58718296e887807', '-8.9342063769536887e+26'],
  ['1098d6a904943815', '1.0239269122939286e-228'],
  ['3a38b767352e4941', '3.1196506129555219e-28'],
  ['9b19cdec60c9e347', '-3.9799364782589739e-178'],
  ['780b86486a2a1812', '1.8176331567502735e+270'],
  ['8935b28fafb5454b', '-2.6916191680102057e-264'],
  ['ef8d8e8e32474e22', '-2.2406033019642223e+229'],
  ['17cde531518bd8ab', '5.1191220706885394e-194'],
  ['6d33ce50dcfe4bcc', '1.0924257505679557e+218'],
  ['cfc2ffe4ed2261f1', '-1.718751453462524e+76'],
  ['89e0b9583a589e65', '-4.2488753649295502e-261'],
  ['3f0279a1abe7020e', '3.523850090259374e-05'],
  ['46f6d2e1c91d6da3', '7.406732842697646e+33'],
  ['c10c2788a8e1f980', '-230641.08246226236'],
  ['9e5d4d25c8ec9feb', '-2.0353077945140491e-162'],
  ['d703d5b062c4a228', '-1.4906461069017133e+111'],
  ['7d3109bf6bd33d83', '1.0881689946975821e+295'],
  ['c8bd8770d23ad2d9', '-2.5723443766663269e+42'],
  ['62f56763d5236ac1', '5.0485868802329521e+168'],
  ['26b8e5ba2d10a9f2', '3.7663031946322791e-122'],
  ['5439f75f10c01d5d', '5.5463668066975177e+97'],
  ['fd39265bb32e9ea1', '-1.6062418535594396e+295'],
  ['8ca4c608ef605abf', '-9.2846341426549764e-248'],
  ['616273cdd6a19e4f', '1.2971183612942818e+161'],
  ['40fc275e69b5220d', '115317.90080750753'],
  ['bb9d2ebef476092f', '-1.5449140461036469e-21'],
  ['c2d14e0a57e101e1', '-76107514610695.516'],
  ['2f62323b36225fad', '1.9182811083926818e-80'],
  ['8564f1dc632417c4', '-1.1268073132697686e-282'],
  ['2e3d6a6340ed367e', '5.9147803353002586e-86'],
  ['3a5f9ccdad9a6f2d', '1.596024059935851e-27'],
  ['9713b93662cb4300', '-1.6490982535525327e-197'],
  ['248fcff28cc334f4', '1.4005767696709742e-132'],
  ['9e8c1878d5464ac5', '-1.5612431716807163e-161'],
  ['769799bacbebb741', '1.8578795398460991e+263'],
  ['52bd78ee9ff29d16', '3.7522700644430283e+90'],
  ['168afe5e7d671459', '4.4081277448726122e-200'],
  ['670c22f05c9cb0ad', '2.4484828906951957e+188'],
  ['cc64498c8ee93884', '-1.0187636184384608e+60'],
  ['ef5ead0be38a95e0', '-2.906798524606354e+228'],
  ['0e1908e532ae8f10', '9.3861326844631319e-241'],
  ['65feb06cdac1d38d', '2.0375224210602439e+183'],
  ['5654e963457642bd', '7.6737421632526047e+107'],
  ['4d0d21a3710efc3f', '1.4979953669761758e+63'],
  ['a2982e5b770e5f35', '-4.9574438696991828e-142'],
  ['f230b77b1c4de493', '-1.1146734535427213e+242'],
  ['036fcbe0d077e1be', '3.9828335704674696e-292'],
  ['087d804ebd29370d', '8.9347739858681211e-268'],
  ['7d66c01f47376eb4', '1.1624017815353555e+296'],
  ['0ba75e632205dad7', '1.5937059814357505e-252'],
  ['15ce2fd817781ac9', '1.2035145121442573e-203'],
  ['fac19bd781637187', '-2.0456655896606624e+283'],
  ['d04883eb74645968', '-5.677358274456412e+78'],
  ['a736357e8e82c020', '-8.6006248040479858e-120'],
  ['14f69a60f9d97768', '1.1000435959643567e-207'],
  ['a1a58ce83556173a', '-1.3483040002715785e-146'],
  ['76067ae6ac125000', '3.456401326348284e+260'],
  ['fe5dd6f65d04c969', '-4.995858102624242e+300'],
  ['a7e567e387ed23b1', '-1.6977098426682013e-116'],
  ['5d4a47ec58caa18c', '2.5037389504224344e+141'],
  ['226a6c288814f4bf', '6.7712035192581639e-143'],
  ['24b99aa4e600b110', '9.0180172237175986e-132'],
  ['6325af54a30a6e7a', '4.0918970977510339e+169'],
  ['0476dff0f4fbd348', '3.7556134872259192e-287'],
  ['7e6b74a0934c4538', '9.193401602166176e+300'],
  ['8c5e5efd1d23e7fe', '-4.241929062227163e-249'],
  ['34bea62d788c5f34', '1.2499682100800243e-54'],
  ['8b79ec1a5a26fe7a', '-2.2098195346875435e-253'],
  ['a4296461beddd096', '-1.7467503883805055e-134'],
  ['509c253003678f48', '2.0857592999671978e+80'],
  ['e3f7b4ef51fb5227', '-3.6646291300091261e+173'],
  ['d3a71489888c3c0b', '-9.628722339994155e+94'],
  ['851d62b5bd703358', '-4.9403583551553379e-284'],
  ['787b118631fd7a9d', '2.2880185864906387e+272'],
  ['dda7e515e33a2538', '-1.4569093923171344e+143'],
  ['1e036ff5150fb7fd', '4.2191897364059423e-164'],
  ['b29bc6b33ac4414b', '-6.5937631509871589e-65'],
  ['65ce110a2689ae92', '2.495233270641561e+182'],
  ['fd703b61aa80bb6c', '-1.6586955829992521e+296'],
  ['b2256110d660d13b', '-3.9649861760688254e-67'],
  ['8a6e83734bc9404e', '-1.9845655405218892e-258'],
  ['993bb873540b742e', '-3.9818410376299332e-187'],
  ['936cd61319c06515', '-4.1824578601242436e-215'],
  ['5fdd3a168a6189a7', '6.1229491867839026e+153'],
  ['f62e7330ba45cd54', '-1.872720725712569e+261'],
  ['e644c315c2cb1187', '-4.4110055944387103e+184'],
  ['cfda60dc99517a7e', '-4.7725095596129884e+76'],
  ['0e30277e50b7c84f', '2.4226509002330943e-240'],
  ['d069212df802fea9', '-2.3278478198143204e+79'],
  ['717eafff25aac128', '4.9957179231866621e+238'],
  ['5b0f56452c0188bb', '4.3443565369439083e+130'],
  ['f6b8f116cc81737b', '-7.8538610370835631e+263'],
  ['092469ae194a5491', '1.2661252577370544e-264'],
  ['8f841a8ab31f4e8b', '-6.3227923116653794e-234'],
  ['18498d8838794684', '1.1201399405709578e-191'],
  ['de065c4329c739a0', '-8.7254432188502474e+144'],
  ['1d1d95e1ad61682b', '1.959841638673769e-168'],
  ['63c7fe352f6d7f84', '4.6360922545179674e+172'],
  ['493544ec8f808c2a', '4.7431978199815638e+44'],
  ['f631206795ac08c8', '-2.1066234576462742e+261'],
  ['87847ff4a1cb8b0a', '-1.8947159845421991e-272'],
  ['4cb9d2a2e639167b', '4.1495636750330371e+61'],
  ['38b6a352e2ff5520', '1.7030925900288637e-35'],
  ['f12e90595ea39278', '-1.5548727729577764e+237'],
  ['293afcb7751f5f5f', '4.4886837708070749e-110'],
  ['e676f5d252f0a7f6', '-3.902417943885608e+185'],
  ['faaad0810748850f', '-7.787806352358806e+282'],
  ['c43ae8ddfba0608f', '-4.96395190369334e+20'],
  ['3f1855582ac1ffe9', '9.2824465072638106e-05'],
  ['9ed88e2a90a70b10', '-4.3664472114821684e-160'],
  ['8fe6d6a4caabc400', '-4.5970583480632779e-232'],
  ['2d0497366cdfd84f', '7.8969956429815662e-92'],
  ['e4169b08ea4f0468', '-1.3977633268281097e+174'],
  ['366e180f649b522b', '1.6472912029533486e-46'],
  ['9c3eae2243986acd', '-1.2404544748682251e-172'],
  ['ed61ef1faa94cfa4', '-7.9134505648156321e+218'],
  ['40c34660128851e2', '9868.7505655669993'],
  ['411c69f9a0bb64a3', '465534.40696484799'],
  ['bf8097117eb7c164', '-0.0081006399913980467'],
  ['40f540a92c750739', '87050.573353794302'],
  ['c308b61cb53b8d22', '-869454232121764.25'],
  ['bd6903f8f5411bff', '-7.1098377100000005e-13'],
  ['bf6f4002bac3de3c', '-0.003814702349810321'],
  ['3e3f9ed4a3aa6407', '7.3622055627662996e-09'],
  ['40b1d791f7fcf7f4', '4567.570190249'],
  ['c16b9247d428f5c3', '-14455358.630000001'],
  ['c3032c16120c4de2', '-674562232650172.25'],
  ['3e058852dee8a469', '6.2667865152181198e-10'],
  ['3ff3a9fbe76c8b44', '1.2290000000000001'],
  ['40833e4f03dfb17e', '615.78858160744107'],
  ['bccf9e597d80452c', '-8.77591139e-16'],
  ['bea97854e2e278a8', '-7.5906650011719557e-07'],
  ['40f67d178a881af5', '92113.47132120638'],
  ['c27879cc2e4cdccd', '-1681962230989.8'],
  ['c12d6fd51d66d46c', '-964586.55742515391'],
  ['bedc69c5ce642b8a', '-6.7742286999999998e-06'],
  ['c1e378887431a50b', '-2613330849.5513968'],
  ['bf34b547e63e9039', '-0.00031598096233609628'],
  ['bfe3c53fafa64d96', '-0.617828219476382'],
  ['bf11de86b5f8d757', '-6.8165752502872198e-05'],
  ['bf19b1883446a60e', '-9.8012865299999997e-05'],
  ['c1a0dba8ef308408', '-141415543.59475732'],
  ['bda749700c20b58c', '-1.0589640604506e-11'],
  ['4086026ba1f4b1ee', '704.30255499999998'],
  ['4052d17e183586a5', '75.273321201583329'],
  ['3dc5a8ea36a5754a', '3.939899e-11'],
  ['bfb0b647ba67bc1a', '-0.065281374939999998'],
  ['c1e9d08e1ce4a3d7', '-3464786151.145'],
  ['beb086199e80d514', '-9.8489692314008193e-07'],
  ['c200308ca098b418', '-8691749907.0879364'],
  ['c30a4cbc605df7a6', '-925340168601332.75'],
  ['bd65d0260b2a5a44', '-6.1996503573870003e-13'],
  ['c1079f9839d0a676', '-193523.02823'],
  ['bed0287160652bd0', '-3.8523626300729998e-06'],
  ['3e40089180055dfc', '7.4661663524146309e-09'],
  ['c050ad93e6b1b1d6', '-66.712152169733002'],
  ['c2604214a1bad6d9', '-558625000918.71399'],
  ['3e44a0ed3e253073', '9.6059497618836289e-09'],
  ['3fe4dc32eab2aa47', '0.6518797477668351'],
  ['bedec3c9f5ab330c', '-7.3348999999999999e-06'],
  ['3f74471ab4ddf485', '0.0049506228659740347'],
  ['40c06859c104e69b', '8400.7012029767993'],
  ['41cd013427a745e9', '973236303.30682099'],
  ['beadb447726dba85', '-8.8525459750000002e-07'],
  ['3f4954f6a81cfb9c', '0.00077306789192009865'],
  ['bcff8aaa1a12c500', '-7.003655e-15'],
  ['422f86c46997b852', '67702502603.860001'],
  ['3e74a93aa0e5d1e6', '7.6968412287599996e-08'],
  ['c07fb4ac32687888', '-507.29204026039997'],
  ['c1cafff164ea84dd', '-905962185.83217967'],
  ['3f75379fa97e132b', '0.0051799999999999997'],
  ['c1c93dbdb3491687', '-846953318.57099998'],
  ['c1c078b9a96f5c29', '-552694610.87'],
  ['3ed939c8a041c3cd', '6.0142797374409999e-06'],
  ['3d8ccf72b4ff1623', '3.2753569075999999e-12'],
  ['3ee7f166845a6f10', '1.1416898029019e-05'],
  ['40017ebbddbde51f', '2.1868817637993199'],
  ['408daf38ca8198f2', '949.90273000000002'],
  ['bf24cd8bc7d37b22', '-0.00015871363931460001'],
  ['3da424fbdf79a447', '9.1606435836240006e-12'],
  ['4059c1bf487fcb92', '103.0273'],
  ['426a3559ab3dc263', '900513749486.07458'],
  ['3edb4375944a1a64', '6.5001279990818999e-06'],
  ['c002a3d70a3d70a4', '-2.3300000000000001'],
  ['4201396596ba9d8f', '9247175383.3269329'],
  ['bda4652ce11af070', '-9.2746704713299995e-12'],
  ['bf6db0bb3fa2d572', '-0.00362431118'],
  ['40b38c48136f5a6a', '5004.2815465541589'],
  ['3cf48e044a361537', '4.5640719999999997e-15'],
  ['3ea45d48f51b2f90', '6.0690624988913999e-07'],
  ['c2bdc23bd9bbcfb3', '-32720064986063.699'],
  ['431b8528bfe989f0', '1936558609031804'],
  ['3ebb00f68dbce4d6', '1.6095496481862411e-06'],
  ['41f443c32613a14f', '5439763041.226882'],
  ['419784f74b8b7803', '98647506.886199996'],
  ['bdd701b99f547e43', '-8.369802753e-11'],
  ];

  test(`${random.length} seeded random doubles`, () => {
    const view = new DataView(new ArrayBuffer(8));
    for (const [bits, s] of random) {
      view.setBigUint64(0, BigInt(`0x${bits}`));
      const x = view.getFloat64(0);
      expect(formatG17(x), `bits ${bits} (${x})`).toBe(s);
    }
  });
});
