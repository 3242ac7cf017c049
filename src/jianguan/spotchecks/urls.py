from django.urls import path

from .views import registers, tasks

app_name = "spotchecks"
urlpatterns = [
    path("", tasks.task_list, name="tasks"),
    path("tasks/new/", tasks.task_new, name="task_new"),
    path("tasks/<int:pk>/", tasks.task_detail, name="task"),
    path("tasks/<int:pk>/edit/", tasks.task_edit, name="task_edit"),
    path("tasks/<int:pk>/lock/", tasks.task_lock, name="task_lock"),
    path("tasks/<int:pk>/draw/", tasks.task_draw, name="task_draw"),
    path("tasks/<int:pk>/start/", tasks.task_start, name="task_start"),
    path("tasks/<int:pk>/results/", tasks.task_results, name="task_results"),
    path("tasks/<int:pk>/results/from-inspections/", tasks.results_from_inspections, name="results_from_inspections"),
    path("tasks/<int:pk>/results/<int:obj_pk>/", tasks.result_record, name="result_record"),
    path("tasks/<int:pk>/publish/", tasks.task_publish, name="task_publish"),
    path("tasks/<int:pk>/void/", tasks.task_void, name="task_void"),
    path("plans/", registers.plan_list, name="plans"),
    path("plans/new/", registers.plan_new, name="plan_new"),
    path("items/", registers.item_list, name="items"),
    path("items/new/", registers.item_new, name="item_new"),
    path("inspectors/", registers.inspector_pool_list, name="inspector_pools"),
    path("inspectors/new/", registers.inspector_pool_new, name="inspector_pool_new"),
    path("inspectors/<int:pk>/", registers.inspector_pool_detail, name="inspector_pool"),
    path("objects/", registers.object_pool_list, name="object_pools"),
    path("objects/new/", registers.object_pool_new, name="object_pool_new"),
    path("objects/preview/", registers.object_pool_preview, name="object_pool_preview"),
    path("objects/<int:pk>/", registers.object_pool_detail, name="object_pool"),
    path("conflicts/", registers.conflict_list, name="conflicts"),
    path("conflicts/new/", registers.conflict_new, name="conflict_new"),
]
