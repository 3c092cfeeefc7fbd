"""The month-end runner: a bureau's whole month-end on a real task queue (``nmbrs-procountor month-end``)."""
