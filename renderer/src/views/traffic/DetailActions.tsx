// What can be done with one exchange: copy it as cURL or as a URL, edit and resend it or
// make a rule from it (ExchangeWorkbench), and purge its URL from the cache when the
// cache was involved.
import type { Exchange } from '../../../../proxy-core/contract/index.js';
import { client } from '../../api/client.js';
import { CopyButton } from '../../components/CopyButton.js';
import { base64ToBytes, looksLikeText, utf8 } from '../../lib/bytes.js';
import { exchangeUrl, toCurl } from '../../lib/curl.js';
import { ExchangeWorkbench } from '../composer/ExchangeWorkbench.js';
import { purgeCache } from '../routes/actions.js';

/** cURL with the request body when it is text and was captured whole. */
async function curlFor(x: Exchange): Promise<string> {
  if (x.request.size === 0) return toCurl(x);
  const body = await client.call('traffic.body', { id: x.id, part: 'request' });
  const text = body.truncated ? undefined : utf8(base64ToBytes(body.decoded ?? body.raw));
  return toCurl(x, text !== undefined && looksLikeText(text) ? text : undefined);
}

export function DetailActions({ x }: { x: Exchange }) {
  return (
    <div className="detail-actions">
      <CopyButton text={() => curlFor(x)} label="Copy as cURL" />
      <CopyButton text={exchangeUrl(x)} label="Copy URL" />
      <ExchangeWorkbench x={x} />
      {x.marks['cache'] !== undefined && (
        // The cache's key: the URL as the client named it, host lower-cased.
        <button type="button" className="btn small" onClick={() => purgeCache({ url: exchangeUrl({ ...x, host: x.host.toLowerCase() }) }, x.url)}>
          Purge URL from cache
        </button>
      )}
    </div>
  );
}
