from django.contrib.auth.forms import AuthenticationForm


class SignInForm(AuthenticationForm):
    """Django's sign-in form without autofocus: the first Tab must reach the skip link."""

    # request named in the signature: the sign-in wizard passes it only to forms that ask, and
    # django-axes needs it to count failures.
    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].widget.attrs.pop("autofocus", None)
