/**
 * SVG and PNG exports of the drawn graph. The exported SVG is a standalone
 * file: the theme's computed colours are copied onto each element, because
 * the `--vscode-*` variables exist only inside VS Code.
 */

const STYLE_PROPERTIES = ['fill', 'stroke', 'stroke-width', 'stroke-dasharray', 'opacity', 'font-family', 'font-size', 'font-weight', 'font-style'];

/** Largest PNG side in pixels; bigger graphs are scaled down to fit. */
const MAX_PNG_SIDE = 8192;

export function exportSvg(svg: SVGSVGElement, size: { width: number; height: number }): string {
  const margin = 16;
  const clone = svg.cloneNode(true) as SVGSVGElement;
  copyComputedStyles(svg, clone);
  clone.removeAttribute('tabindex');
  clone.removeAttribute('class');
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(Math.ceil(size.width + 2 * margin)));
  clone.setAttribute('height', String(Math.ceil(size.height + 2 * margin)));
  clone.setAttribute('viewBox', `${-margin} ${-margin} ${size.width + 2 * margin} ${size.height + 2 * margin}`);
  clone.querySelector('g.viewport')?.removeAttribute('transform');
  const background = getComputedStyle(document.body).backgroundColor;
  const rect = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  rect.setAttribute('x', String(-margin));
  rect.setAttribute('y', String(-margin));
  rect.setAttribute('width', '100%');
  rect.setAttribute('height', '100%');
  rect.setAttribute('fill', background);
  clone.insertBefore(rect, clone.firstChild);

  return new XMLSerializer().serializeToString(clone);
}

/** Renders the exported SVG onto a canvas and returns the PNG as base64, without the data-URL prefix. */
export async function exportPng(svgText: string): Promise<string> {
  const image = new Image();
  const loaded = new Promise<void>((resolve, reject) => {
    image.onload = () => resolve();
    image.onerror = () => reject(new Error('the SVG could not be drawn as an image'));
  });
  image.src = `data:image/svg+xml;base64,${base64Utf8(svgText)}`;
  await loaded;

  const scale = Math.min(2, MAX_PNG_SIDE / Math.max(image.width, image.height, 1));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(image.width * scale));
  canvas.height = Math.max(1, Math.round(image.height * scale));
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2D canvas context');
  context.drawImage(image, 0, 0, canvas.width, canvas.height);

  return canvas.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
}

function copyComputedStyles(source: Element, target: Element): void {
  const sourceElements = [source, ...source.querySelectorAll('*')];
  const targetElements = [target, ...target.querySelectorAll('*')];
  sourceElements.forEach((element, i) => {
    const style = getComputedStyle(element);
    const copy = targetElements[i];
    for (const property of STYLE_PROPERTIES) {
      const value = style.getPropertyValue(property);
      if (value) copy.setAttribute(property, value);
    }
  });
}

function base64Utf8(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));

  return btoa(binary);
}
