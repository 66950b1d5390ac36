using static TorchSharp.torch;

namespace GaussQuant.Checkpoints;

/// <summary>
/// A tensor storage named by a checkpoint's pickle, holding <see cref="ElementCount"/> elements: the record
/// <c>data/{Key}</c> of a zip archive, or the block listed under <see cref="Key"/> in a legacy file.
/// </summary>
internal sealed record StorageReference(string Key, ScalarType DType, long ElementCount);
