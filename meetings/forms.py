from django import forms

from meetings.models import EMPTY_ENTRY, NO_FILE, Entry, Paper


class EntryForm(forms.ModelForm):
    class Meta:
        model = Entry
        fields = ["kind", "text", "position", "priorities", "review"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3, "cols": 80})}
        error_messages = {
            "text": {"required": EMPTY_ENTRY},
        }

    def has_changed(self):
        # An added row whose text is only spaces still counts as typed, so that it
        # gets an error instead of vanishing silently.
        raw = self.data.get(self.add_prefix("text"))
        return super().has_changed() or (raw is not None and raw != "" and not raw.strip())


class PaperForm(forms.ModelForm):
    """A paper's file is checked by what it holds (bscb.core.uploads.validate_document).

    The file box never shows the stored file's address (a private file has none): the
    row's "File" column links to the view that checks who is asking.
    """

    class Meta:
        model = Paper
        fields = ["agenda_item", "title", "file"]
        widgets = {"file": forms.FileInput}
        error_messages = {"file": {"required": NO_FILE}}
