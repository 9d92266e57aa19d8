// Normalisation of an identifier typed by its owner, exactly as
// detect.NormalizeIdentifier does it on the server (a browser test
// compares the two), so that the hash the browser computes is the one the
// leak's identifier has: SHA-256 of kind + ":" + normalised value.

function digitsOf(s) {
  return s.replace(/[^0-9]/g, '');
}

const sampleSSNs = new Set(['078051120', '219099999', '123456789', '987654320', '987654321', '457555462', '111223333', '042103580']);

function validSSN(d) {
  if (d.length !== 9 || sampleSSNs.has(d) || d.split('').every((c) => c === d[0])) return false;
  const area = d.slice(0, 3);
  return area !== '000' && area !== '666' && area[0] !== '9' && d.slice(3, 5) !== '00' && d.slice(5) !== '0000';
}

function luhn(d) {
  let sum = 0;
  let double = false;
  for (let i = d.length - 1; i >= 0; i--) {
    let n = d.charCodeAt(i) - 48;
    if (double) {
      n *= 2;
      if (n > 9) n -= 9;
    }
    sum += n;
    double = !double;
  }
  return sum % 10 === 0;
}

function validNANP(v) {
  let d = digitsOf(v);
  if (d.length === 11 && d[0] === '1') d = d.slice(1);
  if (d.length !== 10) return false;
  const area = d.slice(0, 3);
  const exch = d.slice(3, 6);
  if (area[0] < '2' || exch[0] < '2' || area[1] === '9') return false;
  if (area.slice(1) === '11' || exch.slice(1) === '11') return false;
  return !(exch === '555' && d.slice(6, 8) === '01');
}

function normalizePhone(v) {
  const trunk = v.includes('(0)');
  v = v.split('(0)').join('');
  const d = digitsOf(v);
  const t = v.trim();
  if (t.startsWith('+')) return '+' + d;
  if (d.startsWith('011') && d.length > 11) return '+' + d.slice(3);
  if (d.startsWith('00') && d.length > 10) return '+' + d.slice(2);
  if (d.length === 10 && validNANP(d)) return '+1' + d;
  if (d.length === 11 && d[0] === '1' && validNANP(d)) return '+' + d;
  if (trunk) return '+' + d;
  return d;
}

// trimSpace trims what Go's strings.TrimSpace trims (ASCII and Unicode
// white space).
function trimSpace(s) {
  return s.replace(/^[\s\u0085]+|[\s\u0085]+$/g, '');
}

// normalize returns {value} or {error} for an identifier of kind.
export function normalize(kind, value) {
  const v = trimSpace(value);
  const d = digitsOf(v);
  switch (kind) {
    case 'ssn':
      if (d.length !== 9) return { error: 'An SSN has 9 digits.' };
      if (!validSSN(d)) return { error: 'No SSN has this area, group or serial number (or it is a published sample number).' };
      return { value: d };
    case 'credit_card':
      if (d.length < 12 || d.length > 19) return { error: 'A card number has 12 to 19 digits.' };
      if (!luhn(d)) return { error: 'This card number has a wrong check digit: check for a typo.' };
      return { value: d };
    case 'phone':
      if (d.length < 7 || d.length > 15) return { error: 'A phone number has 7 to 15 digits.' };
      return { value: normalizePhone(v) };
    case 'email': {
      const e = v.toLowerCase();
      const at = e.lastIndexOf('@');
      if (at <= 0 || at === e.length - 1 || /[ \t<>]/.test(e)) return { error: 'Type an address like name@example.com.' };
      return { value: e };
    }
  }
  return { error: 'Unknown kind ' + kind + '.' };
}
