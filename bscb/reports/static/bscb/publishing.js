'use strict';
// The publishing progress page (admin/bscb/reportingperiod/publishing.html): asks the
// progress address every second and moves the bar, until publishing has finished. The live
// region hears each new step and the result, not every page (a screen reader would
// otherwise read a number a second); the bar and the count show every page.
{
    const root = document.getElementById('publishing');
    if (root && root.dataset.finished !== 'true') {
        const byId = (id) => document.getElementById(id);
        const bar = byId('publishing-bar');
        const status = byId('publishing-status');
        const refresh = byId('publishing-refresh');
        if (refresh) {
            refresh.hidden = true;
        }
        let announced = status.textContent;

        const show = (progress) => {
            root.dataset.state = progress.state;
            byId('publishing-step').textContent = progress.label;
            byId('publishing-count').textContent = progress.count;
            if (progress.total) {
                bar.max = progress.total;
                bar.value = progress.done;
                bar.textContent = progress.count;
            } else if (progress.state === 'published') {
                bar.max = 1;
                bar.value = 1;
            } else {
                bar.removeAttribute('value'); // a step that does not count: the bar is busy
            }
            const waiting = byId('publishing-waiting');
            if (waiting) {
                waiting.hidden = progress.finished || !progress.message;
                waiting.textContent = progress.message;
            }
            const say = progress.finished ? progress.message : progress.step;
            if (say !== announced) {
                status.textContent = say;
                announced = say;
            }
            if (progress.state === 'published') {
                byId('publishing-edition').href = progress.edition_url;
                byId('publishing-done').hidden = false;
            } else if (progress.finished) {
                byId('publishing-again').hidden = false;
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
}
