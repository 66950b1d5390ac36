using static TorchSharp.torch;

namespace GaussQuant.Training;

/// <summary>The VF loss of one batch (scalars attached to the latent's graph) and its two unweighted terms.</summary>
public sealed record VfAlignmentTerms(Tensor Loss, Tensor DistanceMatrix, Tensor Cosine);
