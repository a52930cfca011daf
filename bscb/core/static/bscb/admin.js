'use strict';
// Select2, which draws Django's autocomplete fields, puts a combobox of its own beside the
// <select> it hides and names it by the value chosen, or by nothing when none is: a screen
// reader hears no label, and the search box of a multiple choice has none either. Each drawn
// combobox gets the name of its <select>: the <label> for it, or the aria-label a tabular
// inline's column gives it (bscb/core/admin_base.py). Select2 draws afresh as values change
// and as inline rows are added, so the names are given again whenever it draws.
{
    const nameOf = (select) => {
        const given = select.getAttribute('aria-label');
        if (given) {
            return given;
        }
        const label = select.id && document.querySelector(`label[for="${CSS.escape(select.id)}"]`);
        return label ? label.textContent.replace(/:\s*$/, '').trim() : '';
    };

    const label = () => {
        for (const container of document.querySelectorAll('select + .select2-container')) {
            const name = nameOf(container.previousElementSibling);
            const combobox = container.querySelector('.select2-selection[role="combobox"]');
            if (!name || !combobox) {
                continue;
            }
            if (combobox.getAttribute('aria-label') !== name) {
                combobox.setAttribute('aria-label', name);
                combobox.removeAttribute('aria-labelledby');
            }
            // The chosen value is the combobox's content, not a text box of its own.
            const rendered = combobox.querySelector('.select2-selection__rendered[role="textbox"]');
            if (rendered) {
                rendered.removeAttribute('role');
                rendered.removeAttribute('aria-readonly');
            }
            const search = combobox.querySelector('.select2-search__field');
            if (search && search.getAttribute('aria-label') !== name) {
                search.setAttribute('aria-label', name);
            }
            // A multiple choice's list holds its "clear all" button among the chosen items.
            const list = combobox.querySelector('ul.select2-selection__rendered');
            if (list && list.getAttribute('role') !== 'list') {
                list.setAttribute('role', 'list');
            }
        }
    };

    document.addEventListener('DOMContentLoaded', () => {
        label();
        new MutationObserver(label).observe(document.body, {childList: true, subtree: true});
    });
}
