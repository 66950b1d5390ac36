namespace GaussQuant.Training;

/// <summary>What one step's VF alignment logged: the loss (<c>loss/vf</c>), its two unweighted terms, and the weight it entered the total with.</summary>
public sealed record VfAlignmentValues(double Loss, double DistanceMatrix, double Cosine, double Weight);
