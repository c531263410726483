"""The interviewer's pages: the bank, authoring, assessments, reports, similarity, members,
audit. Every view is wrapped by `access.member_required`, and every object it reaches is looked
up through the member's organization (a foreign object is a 404, never a 403: its existence
is not disclosed)."""
