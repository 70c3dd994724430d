import { escapeHtml, reportHtml, scopeSvgIds, type ReportPage } from '../../lib/report/html_page';
import { valuesToImage } from '../../lib/report/pixels';

const page: ReportPage = {
  title: 'lenet5 on <mnist>',
  subtitle: 'test accuracy 98%',
  facts: [['backend', 'wasm & friends']],
  sections: [
    { id: 'training', title: 'Training', blocks: [{ kind: 'chart', svg: '<svg id="a"><defs><linearGradient id="gradient_0"/></defs><rect fill="url(#gradient_0)"/></svg>' }] },
    {
      id: 'mistakes',
      title: 'Mistakes',
      blocks: [
        { kind: 'text', text: 'Confident "mistakes"' },
        { kind: 'grid', grid: { title: 'grid', columns: 4, tileWidth: 56, tiles: [{ image: valuesToImage([0, 1, 1, 0], 2, 2), caption: 'true 7\npredicted 1' }] } },
      ],
    },
    { id: 'model', title: 'Model', blocks: [{ kind: 'preformatted', text: 'Layer (type) <x>', summary: 'details' }] },
  ],
};

describe('reportHtml', () => {
  const html = reportHtml(page);

  it('is one self-contained document: a policy forbidding requests, no script, no link out', () => {
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(html).toContain(`content="default-src 'none'; img-src data:; style-src 'unsafe-inline'"`);
    expect(html).not.toMatch(/<script|<link|src="(?!data:)|href="(?!#)/);
  });

  it('escapes text, lists the sections and shows images as PNG data URIs with captions', () => {
    expect(html).toContain('<title>lenet5 on &lt;mnist&gt;</title>');
    expect(html).toContain('<tr><th>backend</th><td>wasm &amp; friends</td></tr>');
    expect(html).toContain('<nav><a href="#training">Training</a><a href="#mistakes">Mistakes</a><a href="#model">Model</a></nav>');
    expect(html).toContain('<p>Confident &quot;mistakes&quot;</p>');
    expect(html).toMatch(/<img src="data:image\/png;base64,[A-Za-z0-9+/=]+" width="56" height="56" alt="true 7, predicted 1"><figcaption>true 7<br>predicted 1<\/figcaption>/);
    expect(html).toContain('<details><summary>details</summary><pre>Layer (type) &lt;x&gt;</pre></details>');
  });

  it("gives each chart's SVG ids a prefix of its own", () => {
    expect(html).toContain('<linearGradient id="training-0-gradient_0"/>');
    expect(html).toContain('fill="url(#training-0-gradient_0)"');
  });
});

describe('helpers', () => {
  it('escapeHtml and scopeSvgIds', () => {
    expect(escapeHtml(`<a href='x'>&"`)).toBe('&lt;a href=&#39;x&#39;&gt;&amp;&quot;');
    expect(scopeSvgIds('<clipPath id="clip1"/><g clip-path="url(#clip1)"/><use href="#clip1"/>', 'f')).toBe(
      '<clipPath id="f-clip1"/><g clip-path="url(#f-clip1)"/><use href="#f-clip1"/>',
    );
  });
});
