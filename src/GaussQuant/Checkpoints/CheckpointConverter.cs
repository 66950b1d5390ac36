using GaussQuant.IO;

namespace GaussQuant.Checkpoints;

/// <summary>Rewrites any checkpoint <see cref="CheckpointLoader"/> reads as the project's own <c>.safetensors</c> weights.</summary>
public static class CheckpointConverter
{
    /// <summary>
    /// Writes the inference tensors (<see cref="CheckpointLoader.InferencePrefixes"/>), or every state-dict tensor
    /// when <paramref name="keepAllTensors"/>, to <paramref name="target"/> atomically, with the source's name,
    /// epoch and step in the header's metadata. Returns the number of tensors written. The target is checked (and
    /// locked) before the checkpoint is read; an existing one is replaced only with <paramref name="overwrite"/>.
    /// </summary>
    public static int ToSafetensors(string source, string target, bool keepAllTensors = false, bool overwrite = false)
    {
        if (Path.GetFullPath(source) == Path.GetFullPath(target))
            throw new ArgumentException($"{target}: the output would overwrite the checkpoint being converted");
        using var claim = OutputClaim.ForFiles(overwrite, "model.safetensors", target);
        using var checkpoint = CheckpointLoader.Load(source, keepAllTensors ? null : CheckpointLoader.IsInferenceKey);
        var metadata = checkpoint.Metadata;
        if (checkpoint.Tensors.Count == 0)
            throw new InvalidDataException(keepAllTensors
                ? $"{source}: the checkpoint holds no tensors"
                : $"{source}: none of its {metadata.TensorCount} tensors is under encoder., decoder. or regularization.; use --all to keep them all");

        var properties = new Dictionary<string, string> { ["format"] = "pt", ["source"] = Path.GetFileName(source) };
        if (metadata.Epoch is long epoch) properties["epoch"] = epoch.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (metadata.GlobalStep is long step) properties["global_step"] = step.ToString(System.Globalization.CultureInfo.InvariantCulture);
        SafetensorsFile.Write(target, checkpoint.Tensors, properties);
        claim.Keep();
        return checkpoint.Tensors.Count;
    }
}
