from contextlib import contextmanager
from contextvars import ContextVar

from django.utils.functional import SimpleLazyObject

from bscb.core.models import Board

# The board's record while pages are rendered for nobody's request (publishing): read
# once for the whole publication, and forgotten with it.
_board_for_nobody: ContextVar[Board | None] = ContextVar("board_for_nobody", default=None)


@contextmanager
def rendering_for_nobody():
    token = _board_for_nobody.set(Board.load())
    try:
        yield
    finally:
        _board_for_nobody.reset(token)


def site(request):
    """The board's record for every page: asked once a request, and only by a page that uses it."""

    def load():
        # Kept on the request, never in the process: another server may have changed it.
        # Without a request (publishing renders for nobody's request), asked once here.
        if request is None:
            return _board_for_nobody.get() or Board.load()
        if not hasattr(request, "_board"):
            request._board = Board.load()
        return request._board

    board = SimpleLazyObject(load)
    return {"board": board, "board_name": SimpleLazyObject(lambda: board.name)}
