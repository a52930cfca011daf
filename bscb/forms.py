from django.contrib.auth.forms import AuthenticationForm


class SignInForm(AuthenticationForm):
    """Django's sign-in form without autofocus: the first Tab must reach the skip link."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.pop("autofocus", None)
