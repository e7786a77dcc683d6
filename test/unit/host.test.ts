import { describe, expect, it } from 'vitest';
import { hostnameOf, isLoopbackName } from '../../proxy-core/engine/http/host.js';

describe('hostnameOf', () => {
  it.each([
    ['shop.localhost', 'shop.localhost'],
    ['Shop.LocalHost', 'shop.localhost'],
    ['shop.localhost:8080', 'shop.localhost'],
    ['shop.localhost.', 'shop.localhost'],
    ['shop.localhost.:443', 'shop.localhost'],
    ['127.0.0.1:3000', '127.0.0.1'],
    ['[::1]:8080', '[::1]'],
    [undefined, undefined],
    ['', undefined],
    ['evil.com/path', undefined],
    ['a b', undefined],
    ['host:port', undefined],
    ['shop.localhost:80:80', undefined],
  ])('%j → %j', (header, expected) => {
    expect(hostnameOf(header)).toBe(expected);
  });
});

describe('isLoopbackName', () => {
  it.each([
    ['localhost', true],
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['[::1]', true],
    ['0.0.0.0', true],
    ['shop.localhost', false],
    ['10.0.0.1', false],
    ['127.example.com', false],
  ])('%s → %s', (name, expected) => {
    expect(isLoopbackName(name)).toBe(expected);
  });
});
