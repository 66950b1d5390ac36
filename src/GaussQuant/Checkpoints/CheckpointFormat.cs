namespace GaussQuant.Checkpoints;

/// <summary>The kinds of weight files <see cref="CheckpointLoader"/> reads.</summary>
public enum CheckpointFormat
{
    /// <summary>A <c>torch.save</c> dictionary with a <c>state_dict</c> entry beside training state (PyTorch Lightning's <c>.ckpt</c>).</summary>
    TrainingCheckpoint,

    /// <summary>A bare <c>torch.save(model.state_dict())</c> file (<c>.pth</c>, <c>.pt</c>).</summary>
    StateDict,

    /// <summary>A <c>.safetensors</c> file, the project's own weight format.</summary>
    Safetensors,
}
