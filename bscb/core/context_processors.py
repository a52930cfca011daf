from django.utils.functional import SimpleLazyObject

from bscb.core.models import Board


def site(request):
    """The board's record for every page: asked once a request, and only by a page that uses it."""

    def load():
        # Kept on the request, never in the process: another server may have changed it.
        if not hasattr(request, "_board"):
            request._board = Board.load()
        return request._board

    board = SimpleLazyObject(load)
    return {"board": board, "board_name": SimpleLazyObject(lambda: board.name)}
