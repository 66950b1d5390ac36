using System.Globalization;
using GaussQuant.Checkpoints;
using GaussQuant.Config;
using GaussQuant.Models;
using static TorchSharp.torch;

namespace GaussQuant.Training.Loop;

/// <summary>
/// The checkpoint phase: complete checkpoints (weights of the model and the loss, both optimisers, λ, the sampling
/// generator, the data position) that a resumed run continues from exactly, and the final inference weights.
/// </summary>
internal static class TrainingCheckpoints
{
    public static TrainingState Restore(RunDirectory run, long step, Autoencoder model, AutoencoderLoss objective, Generator sampling,
        AdversarialOptimizers optimizers)
    {
        string weightsPath = run.WeightsPath(step);
        using (var weights = CheckpointLoader.Open(weightsPath))
        {
            ModuleWeights.LoadInto(model, weights, weightsPath);
            ModuleWeights.LoadInto(objective, weights, weightsPath, "loss.");
            if (objective.Alignment is { } alignment)
                ModuleWeights.LoadInto(alignment, weights, weightsPath);
        }
        return TrainingState.Read(run.StatePath(step), sampling, optimizers);
    }

    /// <summary>Writes the checkpoint of <paramref name="state"/> (whose λ must be the current one) and marks it the last.</summary>
    public static CheckpointWritten Save(TrainingSetup setup, TrainingState state)
    {
        var tensors = new Dictionary<string, Tensor>(setup.Model.state_dict());
        foreach (var (name, value) in setup.Objective.state_dict())
            tensors["loss." + name] = value;
        // linear_proj.* at the top level, where the reference's AutoencodingEngine keeps it.
        foreach (var (name, value) in setup.Objective.Alignment?.state_dict() ?? [])
            tensors[name] = value;
        string weightsPath = setup.Run.WeightsPath(state.Step);
        SafetensorsFile.Write(weightsPath, tensors, Metadata(setup, state.Step));
        state.Write(setup.Run.StatePath(state.Step), setup.Sampling, setup.Optimizers);
        setup.Run.MarkLast(state.Step);
        return new CheckpointWritten(state.Step, weightsPath);
    }

    /// <summary>The final model: inference weights, with the resolved config and the step inside, so the file describes itself.</summary>
    public static void ExportInferenceWeights(TrainingSetup setup, long step) =>
        SafetensorsFile.Write(setup.Run.FinalModelPath, setup.Model.state_dict(), Metadata(setup, step));

    private static Dictionary<string, string> Metadata(TrainingSetup setup, long step) => new()
    {
        [ModelFileMetadata.ConfigKey] = ConfigYamlWriter.ToPortableYaml(setup.Config.Tree),
        [ModelFileMetadata.StepKey] = step.ToString(CultureInfo.InvariantCulture),
    };
}
