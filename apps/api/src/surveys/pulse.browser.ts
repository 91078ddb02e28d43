/**
 * The answering page's enhancement (pulse.page.tsx), loaded as /assets/pulse.js. The page works
 * the same without it: a CSS counter shows "n of N answered" and the form posts as it is. With
 * it, the count in the status region is real text (announced as it changes), a bar shows the
 * progress, and a double tap does not send the form twice.
 */

interface PulsePageData {
  total: number;
}

function pageData(): PulsePageData | undefined {
  const json = document.getElementById('page-data')?.dataset.json;
  if (!json) return undefined;
  const data = JSON.parse(json) as Partial<PulsePageData>;
  return typeof data.total === 'number' && data.total > 0 ? { total: data.total } : undefined;
}

function enhance(): void {
  const form = document.getElementById('pulse-form');
  const wrap = document.getElementById('progress-wrap');
  const count = document.getElementById('answered-count');
  const fill = document.getElementById('progress-fill');
  const data = pageData();
  if (!(form instanceof HTMLFormElement) || !wrap || !count || !fill || !data) return;

  const update = (): void => {
    const answered = String(form.querySelectorAll('input[type=radio]:checked').length);
    // Only a real change is written, so the status region announces nothing twice.
    if (count.textContent !== answered) count.textContent = answered;
    fill.style.width = `${Math.round((Number(answered) / data.total) * 100)}%`;
  };
  wrap.classList.add('js');
  form.addEventListener('change', update);
  update();

  let sent = false;
  form.addEventListener('submit', (event) => {
    if (sent) event.preventDefault();
    sent = true;
  });
  // Back from the next page, the browser may show this one as it was: it may be sent again.
  window.addEventListener('pageshow', (event) => {
    if (!event.persisted) return;
    sent = false;
    update();
  });
}

enhance();
