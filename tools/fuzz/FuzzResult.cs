namespace GaussQuant.Fuzz;

/// <summary>How one format's campaign went: cases run, files read and refused cleanly, and the findings.</summary>
public sealed record FuzzResult(string Format, int Cases, int Accepted, int Refused, IReadOnlyList<FuzzFinding> Crashes,
    IReadOnlyList<FuzzFinding> Hangs, TimeSpan Elapsed);
