from contextlib import contextmanager
from contextvars import ContextVar

from django.utils.functional import SimpleLazyObject

from bscb.core.models import Board

# The board's record while a publication or a report page is rendered: read at most once
# for all of its parts (rendered for nobody's request) and its frame, forgotten after.
_board_read_once: ContextVar[SimpleLazyObject | None] = ContextVar("board_read_once", default=None)


@contextmanager
def board_read_once():
    token = _board_read_once.set(SimpleLazyObject(Board.load))
    try:
        yield
    finally:
        _board_read_once.reset(token)


def site(request):
    """The board's record for every page: asked once a request, and only by a page that uses it."""

    def load():
        # Kept on the request, never in the process: another server may have changed it.
        once = _board_read_once.get()
        if once is not None:
            return once
        if request is None:
            return Board.load()
        if not hasattr(request, "_board"):
            request._board = Board.load()
        return request._board

    board = SimpleLazyObject(load)
    return {"board": board}
