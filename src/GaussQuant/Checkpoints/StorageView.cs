namespace GaussQuant.Checkpoints;

/// <summary>
/// A storage that is a window of another (<see cref="ElementCount"/> elements from <see cref="Offset"/> of
/// <see cref="Root"/>), as torch before 1.0 wrote for tensors that shared part of a storage; legacy files only.
/// </summary>
internal sealed record StorageView(string Key, StorageReference Root, long Offset, long ElementCount);
