namespace GaussQuant.Fuzz;

/// <summary>An input that crashed a reader (or ran past the time or memory bound), with what happened.</summary>
/// <param name="SavedAs">Where the input was kept, when a findings folder was given.</param>
public sealed record FuzzFinding(string Format, int Case, string Problem, string? SavedAs);
