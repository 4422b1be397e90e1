namespace Ashyq.Registry.Web.Features.Shared;

public sealed record WeekSelectorModel(string Action, IReadOnlyList<PublishedWeek> Weeks, DateOnly Selected);
