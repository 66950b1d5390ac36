using GaussQuant.Config;
using GaussQuant.Models;
using GaussQuant.Quantization;
using GaussQuant.Quantization.Bsq;
using GaussQuant.Quantization.Continuous;
using GaussQuant.Quantization.Fsq;
using GaussQuant.Quantization.Lfq;
using GaussQuant.Quantization.Vq;
using GaussQuant.Training;

namespace GaussQuant.Experiments;

/// <summary>
/// The reference implementation's class paths (<c>target:</c> values) that GaussQuant understands, with the reader
/// that builds each backbone's and quantizer's options.
/// Anything else is an unknown target, refused with the list of the known ones.
/// </summary>
internal static class TargetRegistry
{
    public const string Autoencoder = "pit.models.autoencoder.AutoencodingEngine";
    public const string StridedGaussianQuant = "pit.quantization.gaussian.GaussianQuantRegularizer";
    public const string ContiguousGaussianQuant = "pit.quantization.gaussian.GaussianQuantRegularizer2";
    public const string LpipsWithDiscriminator = LossTargets.LpipsWithDiscriminator;
    public const string ImageDataModule = "pit.data.ImageDataModuleFromConfig";
    public const string ImageFolderDataset = "pit.data.SimpleDataset";
    public const string ImageLogger = "main.ImageLogger";

    /// <summary>Every encoder backbone GaussQuant builds, by the authors' class path (spec §1.2, §1.7).</summary>
    public static IReadOnlyDictionary<string, Func<ConfigSection, BackboneOptions>> Encoders { get; } =
        new Dictionary<string, Func<ConfigSection, BackboneOptions>>(StringComparer.Ordinal)
        {
            ["pit.modules.unet.Encoder"] = UNetTargets.ReadEncoder,
            ["pit.modules.vit.TransformerEncoder"] = ViTTargets.ReadEncoder,
        };

    /// <summary>Every decoder backbone GaussQuant builds, by the authors' class path (spec §1.3, §1.7).</summary>
    public static IReadOnlyDictionary<string, Func<ConfigSection, BackboneOptions>> Decoders { get; } =
        new Dictionary<string, Func<ConfigSection, BackboneOptions>>(StringComparer.Ordinal)
        {
            ["pit.modules.unet.Decoder"] = UNetTargets.ReadDecoder,
            ["pit.modules.vit.TransformerDecoder"] = ViTTargets.ReadDecoder,
        };

    /// <summary>Every regularizer GaussQuant builds, by the authors' class path (spec §2–§3).</summary>
    public static IReadOnlyDictionary<string, Func<ConfigSection, QuantizerOptions>> Quantizers { get; } =
        new Dictionary<string, Func<ConfigSection, QuantizerOptions>>(StringComparer.Ordinal)
        {
            [StridedGaussianQuant] = GaussianQuantTargets.ReadStrided,
            [ContiguousGaussianQuant] = GaussianQuantTargets.ReadContiguous,
            ["pit.quantization.vq.VQQuantizer"] = VqTargets.Read,
            ["pit.quantization.fsq.FSQQuantizer"] = FsqTargets.Read,
            ["pit.quantization.lfq.LFQQuantizer"] = LfqTargets.Read,
            ["pit.quantization.bsq.BSQQuantizer"] = BsqTargets.Read,
            ["pit.quantization.gaussian.IdentityRegularizer"] = ContinuousTargets.ReadIdentity,
            // Removed upstream (spec §2.8) but still named by two released configs; rebuilt from its documented behaviour.
            ["pit.quantization.gaussian.GaussianRegularizer"] = ContinuousTargets.ReadGaussianKl,
        };

    /// <summary>Reads the <c>{target, params}</c> node at <paramref name="key"/> of <paramref name="owner"/> (see <see cref="TargetNode.Read"/>).</summary>
    public static (string Target, ConfigSection Params) Read(ConfigSection owner, string key, params string[] accepted) =>
        TargetNode.Read(owner, key, accepted);

    /// <summary>Reads the <c>regularizer_config</c> node of <paramref name="owner"/> with the reader its target names.</summary>
    public static QuantizerOptions ReadQuantizer(ConfigSection owner, string key) => ReadWith(owner, key, Quantizers);

    /// <summary>Reads the <c>encoder_config</c> node of <paramref name="owner"/> with the reader its target names.</summary>
    public static BackboneOptions ReadEncoder(ConfigSection owner, string key) => ReadWith(owner, key, Encoders);

    /// <summary>Reads the <c>decoder_config</c> node of <paramref name="owner"/> with the reader its target names.</summary>
    public static BackboneOptions ReadDecoder(ConfigSection owner, string key) => ReadWith(owner, key, Decoders);

    private static T ReadWith<T>(ConfigSection owner, string key, IReadOnlyDictionary<string, Func<ConfigSection, T>> readers)
    {
        var (target, parameters) = Read(owner, key, [.. readers.Keys]);
        return readers[target](parameters);
    }

    /// <summary>Reads the <c>target</c> and <c>params</c> keys of <paramref name="node"/>, which may hold other keys too.</summary>
    public static (string Target, ConfigSection Params) ReadTarget(ConfigSection node, params string[] accepted) =>
        TargetNode.ReadTarget(node, accepted);
}
