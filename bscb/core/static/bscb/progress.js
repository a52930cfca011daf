'use strict';
// A background run's progress page (templates/admin/includes/progress.html): each element with
// data-progress-url asks that address every second and moves its bar, until the run has
// finished; then it shows its data-progress-show="succeeded" or "again" paragraphs (and an
// import's refused rows, data-progress-part="refused"). The live
// region hears each new step and the result, not every count (a screen reader would otherwise
// read a number a second); the bar and the count show every one.
for (const root of document.querySelectorAll('[data-progress-url]')) {
    if (root.dataset.finished === 'true') {
        continue;
    }
    const part = (name) => root.querySelector(`[data-progress-part="${name}"]`);
    const bar = part('bar');
    const status = part('status');
    const refresh = part('refresh');
    if (refresh) {
        refresh.hidden = true;
    }
    let announced = status.textContent;

    // An import's rows refused since its preview, listed as the page lists them (text only).
    const showRefused = (rows) => {
        const refused = part('refused');
        if (!refused || !rows || !rows.length) {
            return;
        }
        const list = refused.querySelector('ul');
        list.replaceChildren(...rows.map((row) => {
            const item = document.createElement('li');
            const messages = row.messages.join(' ');
            item.textContent = row.row ? `Row ${row.row}: ${messages}` : messages;
            return item;
        }));
        refused.hidden = false;
    };

    const show = (progress) => {
        root.dataset.state = progress.state;
        part('step').textContent = progress.label;
        part('count').textContent = progress.count;
        if (progress.total) {
            bar.max = progress.total;
            bar.value = progress.done;
            bar.textContent = progress.count;
        } else if (progress.succeeded) {
            bar.max = 1;
            bar.value = 1;
        } else {
            bar.removeAttribute('value'); // a step that does not count: the bar is busy
        }
        const waiting = part('waiting');
        if (waiting) {
            waiting.hidden = progress.finished || !progress.message;
            waiting.textContent = progress.message;
        }
        const say = progress.finished ? progress.message : progress.step;
        if (say !== announced) {
            status.textContent = say;
            announced = say;
        }
        if (progress.finished) {
            for (const link of root.querySelectorAll('[data-progress-result]')) {
                if (progress.result_url) {
                    link.href = progress.result_url;
                }
            }
            showRefused(progress.row_errors);
            const shown = progress.succeeded ? 'succeeded' : 'again';
            for (const block of root.querySelectorAll(`[data-progress-show="${shown}"]`)) {
                block.hidden = false;
            }
        }
        root.dataset.finished = progress.finished ? 'true' : 'false';
    };

    const poll = async () => {
        try {
            const response = await fetch(root.dataset.progressUrl, {
                headers: {Accept: 'application/json'},
                credentials: 'same-origin',
                cache: 'no-store',
            });
            if (response.ok) {
                const progress = await response.json();
                show(progress);
                if (progress.finished) {
                    return;
                }
            }
        } catch (error) {
            // The server away for a moment: ask again.
        }
        window.setTimeout(poll, 1000);
    };
    window.setTimeout(poll, 1000);
}
