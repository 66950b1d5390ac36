using GaussQuant.Models;
using GaussQuant.Tokens;
using GaussQuant.Experiments;

namespace GaussQuant.Pipelines;

/// <summary>Where a model came from, as recorded in token manifests.</summary>
/// <param name="ConfigPath">The YAML config.</param>
/// <param name="CheckpointPath">The weights file, or a description such as "random weights".</param>
/// <param name="CheckpointSha256">Lower-case hex SHA-256 of the weights file; null when there is no file.</param>
public sealed record ModelSource(string ConfigPath, string CheckpointPath, string? CheckpointSha256)
{
    /// <summary>The files a loaded model was read from, with the weights' hash.</summary>
    public static ModelSource Of(TokenizerModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new ModelSource(model.ConfigPath, model.CheckpointPath, TokenManifest.Sha256Of(model.CheckpointPath));
    }
}
