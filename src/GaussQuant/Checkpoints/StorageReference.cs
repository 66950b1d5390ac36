using static TorchSharp.torch;

namespace GaussQuant.Checkpoints;

/// <summary>A tensor storage named by a checkpoint's pickle: the archive entry <c>data/{Key}</c> holding <see cref="ElementCount"/> elements.</summary>
internal sealed record StorageReference(string Key, ScalarType DType, long ElementCount);
